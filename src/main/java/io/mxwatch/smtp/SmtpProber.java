package io.mxwatch.smtp;

import java.net.InetAddress;

/** The SMTP port that the scan uses; tests substitute servers, never this interface. */
public interface SmtpProber {

  /**
   * Connects to {@code address}, reads the greeting, sends EHLO and, when offered, STARTTLS and a
   * TLS handshake. Never throws for remote faults: they are in the evidence.
   */
  SmtpEvidence probe(String host, InetAddress address, int port);

  /**
   * Probes the address, connecting again when {@code fresh} even where a prober would reuse an
   * earlier result.
   */
  default SmtpEvidence probe(String host, InetAddress address, int port, boolean fresh) {
    return probe(host, address, port);
  }
}
