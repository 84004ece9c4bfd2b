package io.mxwatch.tls;

import java.net.InetAddress;

/** Gathers the TLS posture of one MX address; remote faults end up in the posture. */
public interface TlsPostureProber {
  TlsPosture probe(String host, InetAddress address, int port);
}
