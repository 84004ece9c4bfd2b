package io.mxwatch.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;

/**
 * Public keys for TLS 1.3 key shares. The probe never completes a handshake, so one key pair per
 * group and process is enough; the private keys are discarded.
 */
final class KeyShares {
  private static final byte[] X25519 = x25519();
  private static final byte[] SECP256R1 = secp256r1();

  private KeyShares() {}

  static byte[] publicKey(int group) {
    return switch (group) {
      case NamedGroup.X25519 -> X25519.clone();
      case NamedGroup.SECP256R1 -> SECP256R1.clone();
      default -> throw new IllegalArgumentException("no key share for group " + group);
    };
  }

  private static byte[] x25519() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH");
      generator.initialize(NamedParameterSpec.X25519);
      XECPublicKey key = (XECPublicKey) generator.generateKeyPair().getPublic();
      // RFC 7748 §5: the u-coordinate, 32 bytes little-endian.
      return littleEndian(key.getU(), 32);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 is required of every JDK since 11", e);
    }
  }

  private static byte[] secp256r1() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
      // RFC 8446 §4.2.8.2: the uncompressed point 0x04 || X || Y.
      byte[] point = new byte[65];
      point[0] = 4;
      System.arraycopy(bigEndian(key.getW().getAffineX(), 32), 0, point, 1, 32);
      System.arraycopy(bigEndian(key.getW().getAffineY(), 32), 0, point, 33, 32);
      return point;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("secp256r1 is required of every JDK", e);
    }
  }

  private static byte[] bigEndian(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return out;
  }

  private static byte[] littleEndian(BigInteger value, int length) {
    byte[] big = bigEndian(value, length);
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = big[length - 1 - i];
    }
    return out;
  }
}
