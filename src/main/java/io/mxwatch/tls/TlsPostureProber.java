package io.mxwatch.tls;

import java.net.InetAddress;

/** Gathers the TLS posture of one MX address; remote faults end up in the posture. */
public interface TlsPostureProber {
  TlsPosture probe(String host, InetAddress address, int port);

  /**
   * Gathers the posture, probing again when {@code fresh} even where a prober would reuse an
   * earlier result.
   */
  default TlsPosture probe(String host, InetAddress address, int port, boolean fresh) {
    return probe(host, address, port);
  }
}
