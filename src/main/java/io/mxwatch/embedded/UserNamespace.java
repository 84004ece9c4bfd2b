package io.mxwatch.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs programs as an unprivileged user inside a user namespace, for the PostgreSQL programs that
 * refuse to run as root. Inside the namespace the caller (root) appears as that user, so files the
 * caller owns pass PostgreSQL's ownership checks, and outside it every file stays root's.
 */
final class UserNamespace {
  private static final Path PASSWD = Path.of("/etc/passwd");

  private UserNamespace() {}

  /**
   * A user to appear as. initdb looks its own uid up in the user database, so the uid must have an
   * entry there.
   */
  record Mapping(String name, long uid, long gid) {}

  static List<String> unsharePrefix(Mapping user) {
    return List.of(
        "unshare", "--user", "--map-user=" + user.uid(), "--map-group=" + user.gid(), "--");
  }

  /** The user {@code nobody}, or else the first user with a non-zero uid. */
  static Mapping unprivilegedUser() {
    List<Mapping> users;
    try {
      users = parse(Files.readAllLines(PASSWD, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new EmbeddedPostgresException(
          "Cannot read " + PASSWD + " to pick a user for initdb", e);
    }
    Optional<Mapping> nobody = users.stream().filter(u -> u.name().equals("nobody")).findFirst();
    return nobody
        .or(() -> users.stream().filter(u -> u.uid() != 0).findFirst())
        .orElseThrow(
            () ->
                new EmbeddedPostgresException(
                    "PostgreSQL refuses to run as root and "
                        + PASSWD
                        + " has no unprivileged user to run it as."));
  }

  static List<Mapping> parse(List<String> passwdLines) {
    return passwdLines.stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split(":", -1))
        .filter(fields -> fields.length >= 4)
        .flatMap(
            fields -> {
              try {
                return java.util.stream.Stream.of(
                    new Mapping(fields[0], Long.parseLong(fields[2]), Long.parseLong(fields[3])));
              } catch (NumberFormatException e) {
                return java.util.stream.Stream.empty();
              }
            })
        .toList();
  }
}
