package io.mxwatch.tls;

import java.util.Locale;

/**
 * A TLS cipher suite from the registry.
 *
 * @param code the two-byte code point
 * @param name the IANA name, or the name of a widely deployed unassigned code point
 * @param assigned true when IANA assigned the code point
 * @param tls13 true for TLS 1.3 suites (RFC 8446 §B.4), which name no key exchange
 */
public record CipherSuite(int code, String name, boolean assigned, boolean tls13) {

  /** The key exchange part of the name, such as {@code ECDHE_RSA}; empty for TLS 1.3 suites. */
  public String keyExchange() {
    int with = name.indexOf("_WITH_");
    if (tls13 || with < 0) {
      return "";
    }
    int start = name.startsWith("SSL_") || name.startsWith("TLS_") ? 4 : 0;
    return name.substring(start, with);
  }

  /** How the server contributes to the key exchange, which decides ServerKeyExchange parsing. */
  public KeyExchangeKind kind() {
    String kx = keyExchange();
    if (tls13) {
      return KeyExchangeKind.TLS13;
    }
    if (kx.contains("PSK") || kx.startsWith("SRP") || kx.startsWith("KRB5")) {
      return KeyExchangeKind.OTHER;
    }
    if (kx.equals("ECDHE_RSA") || kx.equals("ECDHE_ECDSA")) {
      return KeyExchangeKind.ECDHE_SIGNED;
    }
    if (kx.equals("ECDH_anon")) {
      return KeyExchangeKind.ECDHE_ANONYMOUS;
    }
    if (kx.startsWith("DHE_RSA") || kx.startsWith("DHE_DSS")) {
      return KeyExchangeKind.DHE_SIGNED;
    }
    if (kx.startsWith("DH_anon")) {
      return KeyExchangeKind.DHE_ANONYMOUS;
    }
    return KeyExchangeKind.OTHER;
  }

  /** The ChaCha20-Poly1305 suites, which a server may prefer for clients without AES hardware. */
  public boolean chacha() {
    return name.toUpperCase(Locale.ROOT).contains("CHACHA20");
  }

  /** {@code 0xC02F} style code point. */
  public String hex() {
    return hex(code);
  }

  public static String hex(int code) {
    return String.format("0x%04X", code);
  }

  /** Families of key exchange the probe must parse differently. */
  public enum KeyExchangeKind {
    /** Ephemeral elliptic-curve Diffie-Hellman with a signed ServerKeyExchange. */
    ECDHE_SIGNED,
    /** Anonymous ECDH: parameters without a signature. */
    ECDHE_ANONYMOUS,
    /** Ephemeral finite-field Diffie-Hellman with a signed ServerKeyExchange. */
    DHE_SIGNED,
    /** Anonymous DH: parameters without a signature. */
    DHE_ANONYMOUS,
    /** TLS 1.3: the group is in the key_share extension. */
    TLS13,
    /** RSA key transport, static DH/ECDH, PSK, SRP, KRB5, GOST: nothing here is parsed. */
    OTHER;

    public boolean ecdhe() {
      return this == ECDHE_SIGNED || this == ECDHE_ANONYMOUS;
    }

    public boolean dhe() {
      return this == DHE_SIGNED || this == DHE_ANONYMOUS;
    }

    public boolean signed() {
      return this == ECDHE_SIGNED || this == DHE_SIGNED;
    }
  }
}
