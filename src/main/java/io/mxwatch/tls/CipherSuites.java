package io.mxwatch.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cipher suite registry: every suite of the IANA TLS Cipher Suites registry (CAMELLIA, ARIA,
 * CCM_8, 3DES, RC4, NULL and export suites included) and a few unassigned code points that old
 * servers still accept, loaded from {@code cipher-suites.tsv}.
 */
public final class CipherSuites {
  private static final Map<Integer, CipherSuite> BY_CODE = load();

  private CipherSuites() {}

  public static Optional<CipherSuite> byCode(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  /** The registry name, or the hex code point for a suite the registry does not know. */
  public static String name(int code) {
    return byCode(code).map(CipherSuite::name).orElse(CipherSuite.hex(code));
  }

  public static Optional<CipherSuite> byName(String name) {
    return BY_CODE.values().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public static List<CipherSuite> all() {
    return List.copyOf(BY_CODE.values());
  }

  /** Suites a probe offers for TLS 1.3. */
  public static List<CipherSuite> tls13() {
    return BY_CODE.values().stream().filter(CipherSuite::tls13).toList();
  }

  /**
   * Suites a probe offers for SSL 3.0 to TLS 1.2. PSK and SRP suites are left out, because a server
   * can only choose them for a client that has a shared key or password.
   */
  public static List<CipherSuite> legacyCandidates() {
    return BY_CODE.values().stream()
        .filter(s -> !s.tls13())
        .filter(s -> !s.keyExchange().contains("PSK") && !s.keyExchange().startsWith("SRP"))
        .sorted(java.util.Comparator.comparingInt(CipherSuites::deploymentRank))
        .toList();
  }

  /**
   * Orders candidates so that the first hellos of a probe carry the suites servers commonly enable:
   * ephemeral ECDH, then ephemeral DH, then RSA key transport, then the rest.
   */
  private static int deploymentRank(CipherSuite suite) {
    return switch (suite.kind()) {
      case ECDHE_SIGNED -> 0;
      case DHE_SIGNED -> 1;
      default -> suite.keyExchange().equals("RSA") ? 2 : 3;
    };
  }

  private static Map<Integer, CipherSuite> load() {
    Map<Integer, CipherSuite> suites = new LinkedHashMap<>();
    try (InputStream in = CipherSuites.class.getResourceAsStream("cipher-suites.tsv")) {
      if (in == null) {
        throw new IllegalStateException("cipher-suites.tsv is missing from the class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>(reader.lines().toList());
      for (String line : lines) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.split("\t");
        int code = Integer.parseInt(fields[0].substring(2), 16);
        suites.put(
            code,
            new CipherSuite(code, fields[1], fields[2].equals("iana"), fields[3].equals("1.3")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cipher-suites.tsv", e);
    }
    return Collections.unmodifiableMap(suites);
  }
}
