package io.mxwatch.realpeer.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxwatch.tls.TlsVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * testssl.sh as an independent judge: protocols ({@code -p}) and the suites accepted per protocol
 * ({@code -E}) of a STARTTLS SMTP listener, read from its flat JSON output. It is given the IP
 * address and {@code --nodns none}, so it makes no DNS lookup at all.
 */
final class Testssl {
  static final String PROGRAM = "/usr/bin/testssl";

  /**
   * The verdict of testssl.sh.
   *
   * @param versions protocols reported as offered
   * @param suites per protocol, the code points of the accepted suites
   */
  record Result(Set<TlsVersion> versions, Map<TlsVersion, Set<Integer>> suites) {}

  private static final Map<String, TlsVersion> PROTOCOL_IDS =
      Map.of(
          "SSLv2", TlsVersion.SSL_2_0,
          "SSLv3", TlsVersion.SSL_3_0,
          "TLS1", TlsVersion.TLS_1_0,
          "TLS1_1", TlsVersion.TLS_1_1,
          "TLS1_2", TlsVersion.TLS_1_2,
          "TLS1_3", TlsVersion.TLS_1_3);

  private static final Map<String, TlsVersion> CIPHER_PREFIXES =
      Map.of(
          "cipher-ssl2_", TlsVersion.SSL_2_0,
          "cipher-ssl3_", TlsVersion.SSL_3_0,
          "cipher-tls1_", TlsVersion.TLS_1_0,
          "cipher-tls1_1_", TlsVersion.TLS_1_1,
          "cipher-tls1_2_", TlsVersion.TLS_1_2,
          "cipher-tls1_3_", TlsVersion.TLS_1_3);

  private Testssl() {}

  static Result run(String address, int port, Path work) throws IOException, InterruptedException {
    Path json = work.resolve("testssl-" + address + ".json");
    Files.deleteIfExists(json);
    Process process =
        new ProcessBuilder(
                PROGRAM,
                "--quiet",
                "--warnings",
                "batch",
                "--nodns",
                "none",
                "--ip",
                address,
                "--starttls",
                "smtp",
                "-p",
                "-E",
                "--jsonfile",
                json.toString(),
                address + ":" + port)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("testssl-" + address + ".log").toFile())
            .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException("testssl.sh timed out on " + address);
    }
    return parse(Files.readString(json, StandardCharsets.UTF_8));
  }

  static Result parse(String json) throws IOException {
    Set<TlsVersion> versions = EnumSet.noneOf(TlsVersion.class);
    Map<TlsVersion, Set<Integer>> suites = new HashMap<>();
    for (JsonNode entry : new ObjectMapper().readTree(json)) {
      String id = entry.path("id").asText();
      String finding = entry.path("finding").asText();
      TlsVersion protocol = PROTOCOL_IDS.get(id);
      if (protocol != null && finding.startsWith("offered")) {
        versions.add(protocol);
      }
      TlsVersion cipherVersion = cipherVersion(id);
      if (cipherVersion != null) {
        String hex = id.substring(id.lastIndexOf("_x") + 2);
        suites.computeIfAbsent(cipherVersion, v -> new TreeSet<>()).add(Integer.parseInt(hex, 16));
      }
    }
    return new Result(versions, suites);
  }

  private static TlsVersion cipherVersion(String id) {
    // The longest prefix wins: "cipher-tls1_2_x..." also starts with "cipher-tls1_".
    TlsVersion best = null;
    int length = 0;
    for (var prefix : CIPHER_PREFIXES.entrySet()) {
      if (id.startsWith(prefix.getKey())
          && id.startsWith("x", prefix.getKey().length())
          && prefix.getKey().length() > length) {
        best = prefix.getValue();
        length = prefix.getKey().length();
      }
    }
    return best;
  }
}
