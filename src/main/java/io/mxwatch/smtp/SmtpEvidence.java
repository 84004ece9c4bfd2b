package io.mxwatch.smtp;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What one SMTP session with one MX address showed.
 *
 * @param host the MX host name (used for SNI)
 * @param address the IP address connected to, in text form
 * @param port the TCP port
 * @param outcome how far the session got
 * @param greeting the 220 greeting text, or null
 * @param ehloKeywords the EHLO extension keywords, upper case
 * @param tlsProtocol the negotiated protocol, such as {@code TLSv1.3}, or null
 * @param cipherSuite the negotiated cipher suite (IANA name), or null
 * @param chain the certificates exactly as the server sent them, leaf first
 * @param reply the last SMTP reply, for errors and rejections, or null
 * @param error what went wrong, in words, or null
 * @param transcript the SMTP dialogue before TLS, client lines prefixed with {@code C: }
 * @param connections TCP connections this evidence took
 */
public record SmtpEvidence(
    String host,
    String address,
    int port,
    SmtpOutcome outcome,
    String greeting,
    List<String> ehloKeywords,
    String tlsProtocol,
    String cipherSuite,
    List<X509Certificate> chain,
    String reply,
    String error,
    List<String> transcript,
    int connections) {

  public SmtpEvidence {
    ehloKeywords = List.copyOf(ehloKeywords);
    chain = List.copyOf(chain);
    transcript = List.copyOf(transcript);
  }

  /** Evidence for an address the policy does not allow connecting to. */
  public static SmtpEvidence notAllowed(String host, String address, int port, String reason) {
    return new SmtpEvidence(
        host,
        address,
        port,
        SmtpOutcome.NOT_ALLOWED,
        null,
        List.of(),
        null,
        null,
        List.of(),
        null,
        reason,
        List.of(),
        0);
  }

  public boolean starttlsOffered() {
    return ehloKeywords.contains("STARTTLS");
  }

  /** The target string of per-address findings: {@code host/address}. */
  public String target() {
    return host + "/" + address;
  }
}
