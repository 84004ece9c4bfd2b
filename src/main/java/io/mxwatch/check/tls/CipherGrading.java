package io.mxwatch.check.tls;

import io.mxwatch.tls.CipherOrderPlanner;
import io.mxwatch.tls.CipherSuite;
import io.mxwatch.tls.CipherSuites;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cipher suite levels of NCSC TLS guidelines 2025-05, appendix B, as internet.nl grades them. Only
 * the suites listed here are good, sufficient or phase-out; every other suite is insufficient.
 */
public final class CipherGrading {
  private CipherGrading() {}

  /** TLS 1.3 suites (RFC 8446 §B.4 and later): two good, two sufficient. CCM_8 is insufficient. */
  static final Map<Integer, NcscLevel> TLS13 =
      Map.of(
          0x1302, NcscLevel.GOOD, // TLS_AES_256_GCM_SHA384
          0x1303, NcscLevel.GOOD, // TLS_CHACHA20_POLY1305_SHA256
          0x1301, NcscLevel.SUFFICIENT, // TLS_AES_128_GCM_SHA256
          0x1304, NcscLevel.SUFFICIENT); // TLS_AES_128_CCM_SHA256

  /** TLS 1.2 and older: no suite is good; these eight ECDHE AEAD suites are sufficient. */
  static final Set<Integer> SUFFICIENT =
      Set.of(
          0xC02C, // TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
          0xC02B, // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
          0xCCA9, // TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
          0xC0AD, // TLS_ECDHE_ECDSA_WITH_AES_256_CCM
          0xC0AC, // TLS_ECDHE_ECDSA_WITH_AES_128_CCM
          0xC030, // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
          0xC02F, // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
          0xCCA8); // TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256

  /**
   * TLS 1.2 phase-out suites (35): ECDHE with AES-CBC and SHA-2 HMAC, ECDHE with CAMELLIA or ARIA,
   * and DHE_RSA with AES (GCM, CCM, CBC-SHA-2), ChaCha20, CAMELLIA or ARIA.
   */
  static final Set<Integer> PHASE_OUT =
      Set.of(
          0xC024, // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384
          0xC023, // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
          0xC028, // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
          0xC027, // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
          0xC087, // TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384
          0xC086, // TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256
          0xC073, // TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384
          0xC072, // TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256
          0xC08B, // TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384
          0xC08A, // TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256
          0xC077, // TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384
          0xC076, // TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256
          0xC05D, // TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384
          0xC05C, // TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256
          0xC049, // TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384
          0xC048, // TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256
          0xC061, // TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384
          0xC060, // TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256
          0xC04D, // TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384
          0xC04C, // TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256
          0x009F, // TLS_DHE_RSA_WITH_AES_256_GCM_SHA384
          0x009E, // TLS_DHE_RSA_WITH_AES_128_GCM_SHA256
          0xC09F, // TLS_DHE_RSA_WITH_AES_256_CCM
          0xC09E, // TLS_DHE_RSA_WITH_AES_128_CCM
          0x006B, // TLS_DHE_RSA_WITH_AES_256_CBC_SHA256
          0x0067, // TLS_DHE_RSA_WITH_AES_128_CBC_SHA256
          0xCCAA, // TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256
          0xC07D, // TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384
          0xC07C, // TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256
          0x00C4, // TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256
          0x00BE, // TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256
          0xC053, // TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384
          0xC052, // TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256
          0xC045, // TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384
          0xC044); // TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256

  /** The level of a TLS 1.3 suite. */
  public static NcscLevel tls13Level(int code) {
    return TLS13.getOrDefault(code, NcscLevel.INSUFFICIENT);
  }

  /** The level of a suite negotiated in TLS 1.2 or older. */
  public static NcscLevel level(int code) {
    if (SUFFICIENT.contains(code)) {
      return NcscLevel.SUFFICIENT;
    }
    if (PHASE_OUT.contains(code)) {
      return NcscLevel.PHASE_OUT;
    }
    return NcscLevel.INSUFFICIENT;
  }

  /**
   * The cipher order test: for each accepted sufficient suite, every accepted phase-out suite comes
   * first (ChaCha20 ones last, for servers that prefer ChaCha20 for clients without AES hardware)
   * and the sufficient suite last. Nothing to test without phase-out suites.
   */
  public static List<CipherOrderPlanner.OrderTest> orderTests(List<Integer> accepted) {
    List<Integer> phaseOut = new ArrayList<>();
    List<Integer> phaseOutChacha = new ArrayList<>();
    List<Integer> sufficient = new ArrayList<>();
    for (int code : accepted) {
      NcscLevel level = level(code);
      boolean chacha = CipherSuites.byCode(code).map(CipherSuite::chacha).orElse(false);
      if (level == NcscLevel.PHASE_OUT) {
        (chacha ? phaseOutChacha : phaseOut).add(code);
      } else if (level == NcscLevel.SUFFICIENT) {
        sufficient.add(code);
      }
    }
    phaseOut.addAll(phaseOutChacha);
    if (phaseOut.isEmpty()) {
      return List.of();
    }
    List<CipherOrderPlanner.OrderTest> tests = new ArrayList<>();
    for (int suite : sufficient) {
      List<Integer> offer = new ArrayList<>(phaseOut);
      offer.add(suite);
      tests.add(new CipherOrderPlanner.OrderTest(offer, suite));
    }
    return tests;
  }
}
