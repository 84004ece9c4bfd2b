package io.mxwatch.tls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups of the IANA TLS Supported Groups registry (RFC 8422 §5.1.1, RFC 7919, RFC 8446 §4.2.7, RFC
 * 8734 and the hybrid ML-KEM groups).
 *
 * @param code the two-byte NamedGroup value
 * @param name the registry name
 * @param kind elliptic curve, finite field or hybrid post-quantum
 */
public record NamedGroup(int code, String name, Kind kind) {

  public enum Kind {
    ELLIPTIC_CURVE,
    FINITE_FIELD,
    HYBRID_PQ
  }

  private static final Map<Integer, NamedGroup> BY_CODE = new LinkedHashMap<>();

  static {
    String[] curves = {
      "sect163k1",
      "sect163r1",
      "sect163r2",
      "sect193r1",
      "sect193r2",
      "sect233k1",
      "sect233r1",
      "sect239k1",
      "sect283k1",
      "sect283r1",
      "sect409k1",
      "sect409r1",
      "sect571k1",
      "sect571r1",
      "secp160k1",
      "secp160r1",
      "secp160r2",
      "secp192k1",
      "secp192r1",
      "secp224k1",
      "secp224r1",
      "secp256k1",
      "secp256r1",
      "secp384r1",
      "secp521r1",
      "brainpoolP256r1",
      "brainpoolP384r1",
      "brainpoolP512r1",
      "x25519",
      "x448",
      "brainpoolP256r1tls13",
      "brainpoolP384r1tls13",
      "brainpoolP512r1tls13",
      "GC256A",
      "GC256B",
      "GC256C",
      "GC256D",
      "GC512A",
      "GC512B",
      "GC512C",
      "curveSM2"
    };
    for (int i = 0; i < curves.length; i++) {
      add(i + 1, curves[i], Kind.ELLIPTIC_CURVE);
    }
    add(0x0100, "ffdhe2048", Kind.FINITE_FIELD);
    add(0x0101, "ffdhe3072", Kind.FINITE_FIELD);
    add(0x0102, "ffdhe4096", Kind.FINITE_FIELD);
    add(0x0103, "ffdhe6144", Kind.FINITE_FIELD);
    add(0x0104, "ffdhe8192", Kind.FINITE_FIELD);
    add(0x11EB, "SecP256r1MLKEM768", Kind.HYBRID_PQ);
    add(0x11EC, "X25519MLKEM768", Kind.HYBRID_PQ);
    add(0x11ED, "SecP384r1MLKEM1024", Kind.HYBRID_PQ);
  }

  private static void add(int code, String name, Kind kind) {
    BY_CODE.put(code, new NamedGroup(code, name, kind));
  }

  public static final int SECP256R1 = 23;
  public static final int X25519 = 29;

  public static Optional<NamedGroup> byCode(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  public static String name(int code) {
    return byCode(code).map(NamedGroup::name).orElse(String.format("0x%04x", code));
  }

  public static List<NamedGroup> all() {
    return List.copyOf(BY_CODE.values());
  }

  /** Elliptic curves a TLS 1.2 client can offer for ECDHE (RFC 8422 §5.1.1). */
  public static List<NamedGroup> curves() {
    return all().stream().filter(g -> g.kind() == Kind.ELLIPTIC_CURVE).toList();
  }

  /** The RFC 7919 groups. */
  public static List<NamedGroup> finiteField() {
    return all().stream().filter(g -> g.kind() == Kind.FINITE_FIELD).toList();
  }
}
