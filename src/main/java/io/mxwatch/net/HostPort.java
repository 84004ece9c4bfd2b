package io.mxwatch.net;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;

/** Parses {@code host[:port]} with IPv6 literals in brackets, as resolvers are configured. */
public final class HostPort {
  private HostPort() {}

  /**
   * Parses an address with an optional port. Only IP literals are accepted: resolving a resolver's
   * name would need a resolver.
   */
  public static InetSocketAddress parse(String text, int defaultPort) {
    HostAndPort parsed;
    try {
      parsed = HostAndPort.fromString(text.strip()).withDefaultPort(defaultPort);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    String host = parsed.getHost();
    if (!InetAddresses.isInetAddress(host)) {
      throw new IllegalArgumentException("not an IP address: " + host);
    }
    int port = parsed.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return new InetSocketAddress(InetAddresses.forString(host), port);
  }
}
