package io.mxwatch.check.tls;

import io.mxwatch.tls.NamedGroup;
import io.mxwatch.tls.Rfc7919;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * Levels of key-exchange groups, NCSC TLS guidelines 2025-05 §3.3.3. A finite-field group is judged
 * by its exact RFC 7919 prime, never by its size alone.
 */
public final class GroupGrading {
  private GroupGrading() {}

  private static final Map<Integer, NcscLevel> LEVELS =
      Map.ofEntries(
          Map.entry(23, NcscLevel.SUFFICIENT), // secp256r1
          Map.entry(24, NcscLevel.SUFFICIENT), // secp384r1
          Map.entry(25, NcscLevel.SUFFICIENT), // secp521r1
          Map.entry(29, NcscLevel.SUFFICIENT), // x25519
          Map.entry(30, NcscLevel.SUFFICIENT), // x448
          Map.entry(26, NcscLevel.SUFFICIENT), // brainpoolP256r1
          Map.entry(27, NcscLevel.SUFFICIENT), // brainpoolP384r1
          Map.entry(28, NcscLevel.SUFFICIENT), // brainpoolP512r1
          Map.entry(31, NcscLevel.SUFFICIENT), // brainpoolP256r1tls13
          Map.entry(32, NcscLevel.SUFFICIENT), // brainpoolP384r1tls13
          Map.entry(33, NcscLevel.SUFFICIENT), // brainpoolP512r1tls13
          Map.entry(21, NcscLevel.PHASE_OUT), // secp224r1
          Map.entry(0x0100, NcscLevel.INSUFFICIENT), // ffdhe2048
          Map.entry(0x0101, NcscLevel.PHASE_OUT), // ffdhe3072
          Map.entry(0x0102, NcscLevel.PHASE_OUT), // ffdhe4096
          Map.entry(0x0103, NcscLevel.PHASE_OUT), // ffdhe6144
          Map.entry(0x0104, NcscLevel.PHASE_OUT), // ffdhe8192
          Map.entry(0x11EB, NcscLevel.GOOD), // SecP256r1MLKEM768
          Map.entry(0x11EC, NcscLevel.GOOD), // X25519MLKEM768
          Map.entry(0x11ED, NcscLevel.GOOD)); // SecP384r1MLKEM1024

  /** The level of a named group; any group not listed (secp192r1, sect*, GOST…) is insufficient. */
  public static NcscLevel level(int group) {
    return LEVELS.getOrDefault(group, NcscLevel.INSUFFICIENT);
  }

  /**
   * The level of DH parameters from a ServerKeyExchange: the RFC 7919 group with the same prime and
   * generator 2, or insufficient for any other prime whatever its size.
   */
  public static NcscLevel dhLevel(BigInteger prime, BigInteger generator) {
    Optional<Integer> group = Rfc7919.groupCode(prime);
    if (group.isEmpty() || !BigInteger.TWO.equals(generator)) {
      return NcscLevel.INSUFFICIENT;
    }
    return level(group.get());
  }

  /** {@code ffdhe3072}, or {@code DH-4096 (not an RFC 7919 group)}. */
  public static String dhName(BigInteger prime, BigInteger generator) {
    return Rfc7919.groupName(prime, generator)
        .orElse("DH-" + prime.bitLength() + " (not an RFC 7919 group)");
  }

  public static String name(int group) {
    return NamedGroup.name(group);
  }
}
