package io.mxwatch.tls;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TLS SignatureScheme values (RFC 8446 §4.2.3) and the TLS 1.2 SignatureAndHashAlgorithm pairs they
 * replace (RFC 5246 §7.4.1.4.1), with the hash each one uses.
 */
public final class SignatureScheme {
  private SignatureScheme() {}

  public static final int RSA_PKCS1_SHA1 = 0x0201;
  public static final int DSA_SHA1 = 0x0202;
  public static final int ECDSA_SHA1 = 0x0203;
  public static final int RSA_SHA224 = 0x0301;
  public static final int DSA_SHA224 = 0x0302;
  public static final int ECDSA_SHA224 = 0x0303;

  /** SHA-1 with RSA, DSA and ECDSA: what a server must not accept. */
  public static final List<Integer> SHA1 = List.of(RSA_PKCS1_SHA1, DSA_SHA1, ECDSA_SHA1);

  /** SHA-224 with RSA, DSA and ECDSA. */
  public static final List<Integer> SHA224 = List.of(RSA_SHA224, DSA_SHA224, ECDSA_SHA224);

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0x0101, "rsa_pkcs1_md5"),
          Map.entry(0x0102, "dsa_md5"),
          Map.entry(0x0103, "ecdsa_md5"),
          Map.entry(0x0201, "rsa_pkcs1_sha1"),
          Map.entry(0x0202, "dsa_sha1"),
          Map.entry(0x0203, "ecdsa_sha1"),
          Map.entry(0x0301, "rsa_pkcs1_sha224"),
          Map.entry(0x0302, "dsa_sha224"),
          Map.entry(0x0303, "ecdsa_sha224"),
          Map.entry(0x0401, "rsa_pkcs1_sha256"),
          Map.entry(0x0402, "dsa_sha256"),
          Map.entry(0x0403, "ecdsa_secp256r1_sha256"),
          Map.entry(0x0501, "rsa_pkcs1_sha384"),
          Map.entry(0x0502, "dsa_sha384"),
          Map.entry(0x0503, "ecdsa_secp384r1_sha384"),
          Map.entry(0x0601, "rsa_pkcs1_sha512"),
          Map.entry(0x0602, "dsa_sha512"),
          Map.entry(0x0603, "ecdsa_secp521r1_sha512"),
          Map.entry(0x0804, "rsa_pss_rsae_sha256"),
          Map.entry(0x0805, "rsa_pss_rsae_sha384"),
          Map.entry(0x0806, "rsa_pss_rsae_sha512"),
          Map.entry(0x0807, "ed25519"),
          Map.entry(0x0808, "ed448"),
          Map.entry(0x0809, "rsa_pss_pss_sha256"),
          Map.entry(0x080A, "rsa_pss_pss_sha384"),
          Map.entry(0x080B, "rsa_pss_pss_sha512"),
          Map.entry(0x081A, "ecdsa_brainpoolP256r1tls13_sha256"),
          Map.entry(0x081B, "ecdsa_brainpoolP384r1tls13_sha384"),
          Map.entry(0x081C, "ecdsa_brainpoolP512r1tls13_sha512"),
          Map.entry(0x0904, "mldsa44"),
          Map.entry(0x0905, "mldsa65"),
          Map.entry(0x0906, "mldsa87"));

  /** Every scheme above, offered by probes that want the server's own choice. */
  public static List<Integer> all() {
    return NAMES.keySet().stream().sorted().toList();
  }

  public static String name(int code) {
    return Optional.ofNullable(NAMES.get(code)).orElse(String.format("0x%04x", code));
  }

  /**
   * The hash a scheme signs with: {@code MD5}, {@code SHA-1}, {@code SHA-224}, {@code SHA-256},
   * {@code SHA-384}, {@code SHA-512}, {@code intrinsic} (EdDSA, ML-DSA) or {@code unknown}.
   */
  public static String hash(int code) {
    int high = code >> 8;
    int low = code & 0xff;
    if (high >= 1 && high <= 6 && low >= 1 && low <= 3) {
      return switch (high) {
        case 1 -> "MD5";
        case 2 -> "SHA-1";
        case 3 -> "SHA-224";
        case 4 -> "SHA-256";
        case 5 -> "SHA-384";
        default -> "SHA-512";
      };
    }
    return switch (code) {
      case 0x0804, 0x0809, 0x081A -> "SHA-256";
      case 0x0805, 0x080A, 0x081B -> "SHA-384";
      case 0x0806, 0x080B, 0x081C -> "SHA-512";
      case 0x0807, 0x0808, 0x0904, 0x0905, 0x0906 -> "intrinsic";
      default -> "unknown";
    };
  }
}
