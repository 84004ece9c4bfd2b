package io.mxwatch.tls;

import java.math.BigInteger;

/**
 * The parameters of a TLS 1.2 or older ServerKeyExchange (RFC 8422 §5.4, RFC 5246 §7.4.3). {@code
 * signatureScheme} is the SignatureAndHashAlgorithm of a TLS 1.2 signature, or null when the
 * message is unsigned (anonymous suites) or predates TLS 1.2, where the hash is fixed: MD5 and
 * SHA-1 for RSA, SHA-1 for DSA and ECDSA.
 */
public sealed interface ServerKeyExchange {

  Integer signatureScheme();

  /**
   * ECDHE parameters.
   *
   * @param namedGroup the curve, or -1 for explicit curve parameters (curve types 1 and 2)
   * @param publicKeyLength length of the server's ephemeral point in bytes
   */
  record Ecdhe(int namedGroup, int publicKeyLength, Integer signatureScheme)
      implements ServerKeyExchange {}

  /**
   * Finite-field DHE parameters.
   *
   * @param prime the group's prime p
   * @param generator the generator g
   * @param publicKeyLength length of the server's public value Ys in bytes
   */
  record Dhe(BigInteger prime, BigInteger generator, int publicKeyLength, Integer signatureScheme)
      implements ServerKeyExchange {
    public int primeBits() {
      return prime.bitLength();
    }
  }

  /** Largest DH prime accepted from a server; larger ones are treated as hostile. */
  int MAX_DH_PRIME_BYTES = 2048;

  static ServerKeyExchange parse(byte[] body, CipherSuite.KeyExchangeKind kind, boolean tls12)
      throws TlsParseException {
    TlsBuffer in = new TlsBuffer(body, "ServerKeyExchange");
    ServerKeyExchange parsed;
    if (kind.ecdhe()) {
      int curveType = in.u8();
      int group;
      if (curveType == 3) {
        group = in.u16();
      } else if (curveType == 1 || curveType == 2) {
        // Explicit prime or characteristic-2 curves (RFC 4492 §5.4): only the form is graded.
        in.slice(in.remaining(), "explicit curve parameters");
        return new Ecdhe(-1, 0, null);
      } else {
        throw new TlsParseException("ServerKeyExchange has unknown ECCurveType " + curveType);
      }
      int pointLength = in.vector8("ECDHE public point").remaining();
      parsed = new Ecdhe(group, pointLength, signature(in, kind, tls12));
      return parsed;
    }
    if (kind.dhe()) {
      byte[] p = boundedInteger(in, "DH prime");
      byte[] g = boundedInteger(in, "DH generator");
      int ys = boundedInteger(in, "DH public value").length;
      return new Dhe(new BigInteger(1, p), new BigInteger(1, g), ys, signature(in, kind, tls12));
    }
    throw new TlsParseException("no ServerKeyExchange is parsed for key exchange " + kind);
  }

  private static byte[] boundedInteger(TlsBuffer in, String what) throws TlsParseException {
    TlsBuffer value = in.vector16(what);
    if (value.remaining() == 0 || value.remaining() > MAX_DH_PRIME_BYTES) {
      throw new TlsParseException(what + " has invalid length " + value.remaining());
    }
    return value.rest();
  }

  private static Integer signature(TlsBuffer in, CipherSuite.KeyExchangeKind kind, boolean tls12)
      throws TlsParseException {
    if (!kind.signed()) {
      in.expectEnd();
      return null;
    }
    Integer scheme = tls12 ? in.u16() : null;
    in.vector16("ServerKeyExchange signature");
    in.expectEnd();
    return scheme;
  }
}
