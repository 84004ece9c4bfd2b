package io.mxwatch.realpeer.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenSSL's client as the judge of SHA-1 key-exchange signatures, which testssl.sh 3.0 does not
 * test: a TLS 1.2 STARTTLS handshake whose signature_algorithms list only SHA-1, at security level
 * 0 so the client itself allows SHA-1, and only suites with a signed key exchange. The server
 * accepts SHA-1 when the handshake completes and the peer's signing digest is SHA1.
 */
final class OpensslSigalgs {
  /** OpenSSL 3 prints "Hash used: SHA1" with -brief; older releases "Peer signing digest". */
  private static final Pattern DIGEST =
      Pattern.compile("(?:Hash used|Peer signing digest): (\\S+)");

  private OpensslSigalgs() {}

  static boolean acceptsSha1(String address, int port) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                "openssl",
                "s_client",
                "-connect",
                address + ":" + port,
                "-starttls",
                "smtp",
                "-tls1_2",
                "-sigalgs",
                "RSA+SHA1:ECDSA+SHA1:DSA+SHA1",
                "-cipher",
                "EECDH:EDH:!aNULL:@SECLEVEL=0",
                "-brief")
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("openssl s_client timed out on " + address);
    }
    Matcher digest = DIGEST.matcher(output);
    return output.contains("CONNECTION ESTABLISHED")
        && digest.find()
        && digest.group(1).equals("SHA1");
  }
}
