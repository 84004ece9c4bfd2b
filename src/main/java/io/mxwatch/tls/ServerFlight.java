package io.mxwatch.tls;

import java.util.List;

/**
 * A server's reply to one ClientHello, up to ServerHelloDone (TLS 1.2 and older) or up to the
 * ServerHello or HelloRetryRequest (TLS 1.3, whose later messages are encrypted).
 *
 * @param serverHello the ServerHello or HelloRetryRequest, or null when the server did not send one
 * @param certificates the DER certificates of a TLS 1.2 or older Certificate message, leaf first
 * @param keyExchange the parsed ServerKeyExchange, or null
 * @param alert the alert the server sent instead of (or after) its hello, or null
 * @param note why reading stopped early, such as a closed connection, or null
 */
public record ServerFlight(
    ServerHello serverHello,
    List<byte[]> certificates,
    ServerKeyExchange keyExchange,
    TlsAlert alert,
    String note) {

  public ServerFlight {
    certificates = List.copyOf(certificates);
  }

  /** True when the server chose parameters from the hello, that is sent a ServerHello or HRR. */
  public boolean accepted() {
    return serverHello != null;
  }

  /** Describes why the server did not accept, in words. */
  public String rejection() {
    if (alert != null) {
      return "alert " + alert;
    }
    return note == null ? "no ServerHello" : note;
  }
}
