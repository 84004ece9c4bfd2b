package io.mxwatch.check.auth.spf;

import java.net.InetAddress;

/** CIDR matching of addresses. */
final class Networks {
  private Networks() {}

  /**
   * True when {@code address} is in {@code network/prefix}; addresses of another family never are.
   */
  static boolean contains(InetAddress network, int prefix, InetAddress address) {
    byte[] net = network.getAddress();
    byte[] candidate = address.getAddress();
    if (net.length != candidate.length) {
      return false;
    }
    int fullBytes = prefix / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (net[i] != candidate[i]) {
        return false;
      }
    }
    int remainingBits = prefix % 8;
    if (remainingBits == 0) {
      return true;
    }
    int mask = (0xff << (8 - remainingBits)) & 0xff;
    return (net[fullBytes] & mask) == (candidate[fullBytes] & mask);
  }
}
