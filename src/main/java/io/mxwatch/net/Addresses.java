package io.mxwatch.net;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/** IP addresses as text in findings, observations, metric labels and stored targets. */
public final class Addresses {
  private Addresses() {}

  /**
   * Formats an address as text: IPv4 in dotted-quad form, IPv6 in the canonical form of RFC 5952
   * (lower case, the longest run of two or more zero fields compressed to {@code ::}, the first run
   * on a tie), so {@code 2001:db8::1} and never the JDK's {@code 2001:db8:0:0:0:0:0:1}.
   */
  public static String text(InetAddress address) {
    return InetAddresses.toAddrString(address);
  }

  /**
   * Rewrites the address part of a {@code host/address} target, or a bare address, in the form of
   * {@link #text}. Targets stored before addresses were written that way keep matching new ones.
   * Any other target is returned as it is.
   */
  public static String canonicalTarget(String target) {
    int slash = target.lastIndexOf('/');
    String literal = target.substring(slash + 1);
    if (!InetAddresses.isInetAddress(literal)) {
      return target;
    }
    return target.substring(0, slash + 1) + text(InetAddresses.forString(literal));
  }
}
