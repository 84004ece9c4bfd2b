package io.mxwatch.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the scanner may connect to an address. A domain's MX may point anywhere, so by
 * default the scanner rejects addresses from the IANA special-purpose registries (RFC 6890 and its
 * updates) that are not globally reachable: loopback, private, shared, link-local, multicast,
 * documentation, benchmarking and reserved ranges, in IPv4, IPv6 and IPv4-mapped IPv6 form.
 */
public final class AddressPolicy {

  private record Block(byte[] prefix, int length, String name) {}

  private static final List<Block> BLOCKS =
      List.of(
          block("0.0.0.0", 8, "\"this network\" (RFC 791)"),
          block("10.0.0.0", 8, "private (RFC 1918)"),
          block("100.64.0.0", 10, "shared address space (RFC 6598)"),
          block("127.0.0.0", 8, "loopback (RFC 1122)"),
          block("169.254.0.0", 16, "link-local (RFC 3927)"),
          block("172.16.0.0", 12, "private (RFC 1918)"),
          block("192.0.0.0", 24, "IETF protocol assignments (RFC 6890)"),
          block("192.0.2.0", 24, "documentation (RFC 5737)"),
          block("192.88.99.0", 24, "deprecated 6to4 relay anycast (RFC 7526)"),
          block("192.168.0.0", 16, "private (RFC 1918)"),
          block("198.18.0.0", 15, "benchmarking (RFC 2544)"),
          block("198.51.100.0", 24, "documentation (RFC 5737)"),
          block("203.0.113.0", 24, "documentation (RFC 5737)"),
          block("224.0.0.0", 4, "multicast (RFC 5771)"),
          block("240.0.0.0", 4, "reserved (RFC 1112)"),
          block("::", 128, "unspecified address (RFC 4291)"),
          block("::1", 128, "loopback (RFC 4291)"),
          block("64:ff9b:1::", 48, "local-use IPv4/IPv6 translation (RFC 8215)"),
          block("100::", 64, "discard-only (RFC 6666)"),
          block("2001::", 23, "IETF protocol assignments (RFC 2928)"),
          block("2001:db8::", 32, "documentation (RFC 3849)"),
          block("3fff::", 20, "documentation (RFC 9637)"),
          block("5f00::", 16, "segment routing SIDs (RFC 9602)"),
          block("fc00::", 7, "unique local (RFC 4193)"),
          block("fe80::", 10, "link-local (RFC 4291)"),
          block("fec0::", 10, "deprecated site-local (RFC 3879)"),
          block("ff00::", 8, "multicast (RFC 4291)"));

  private final boolean allowSpecialPurpose;

  /**
   * @param allowSpecialPurpose true to allow every address, for labs and tests
   */
  public AddressPolicy(boolean allowSpecialPurpose) {
    this.allowSpecialPurpose = allowSpecialPurpose;
  }

  /** The reason a connection to {@code address} is not allowed, or empty when it is. */
  public Optional<String> rejectionReason(InetAddress address) {
    if (allowSpecialPurpose) {
      return Optional.empty();
    }
    return specialPurpose(address)
        .map(
            range ->
                Addresses.text(address)
                    + " is a "
                    + range
                    + " address; connections to special-purpose addresses are disabled"
                    + " (allow them with --allow-private or mxwatch.scan.allow-private=true)");
  }

  /** The special-purpose range that {@code address} falls in, or empty for a global address. */
  public static Optional<String> specialPurpose(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
      byte[] v4 = new byte[4];
      System.arraycopy(bytes, 12, v4, 0, 4);
      return specialPurposeOf(v4).map(range -> "IPv4-mapped " + range);
    }
    return specialPurposeOf(bytes);
  }

  /** True for {@code ::ffff:0:0/96}, which is never a usable IPv6 destination on the wire. */
  public static boolean isIpv4Mapped(byte[] bytes) {
    if (bytes.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  private static Optional<String> specialPurposeOf(byte[] bytes) {
    for (Block block : BLOCKS) {
      if (block.prefix().length == bytes.length && matches(bytes, block.prefix(), block.length())) {
        return Optional.of(block.name());
      }
    }
    return Optional.empty();
  }

  private static boolean matches(byte[] address, byte[] prefix, int length) {
    int fullBytes = length / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (address[i] != prefix[i]) {
        return false;
      }
    }
    int remainingBits = length % 8;
    if (remainingBits == 0) {
      return true;
    }
    int mask = (0xff << (8 - remainingBits)) & 0xff;
    return (address[fullBytes] & mask) == (prefix[fullBytes] & mask);
  }

  private static Block block(String literal, int length, String name) {
    try {
      InetAddress address = InetAddress.getByName(literal);
      byte[] bytes = address.getAddress();
      if (address instanceof Inet4Address && bytes.length != 4) {
        throw new IllegalStateException(literal);
      }
      return new Block(bytes, length, name);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("invalid address literal " + literal, e);
    }
  }
}
