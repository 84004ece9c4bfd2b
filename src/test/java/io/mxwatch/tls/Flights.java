package io.mxwatch.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;

/** Builds server flights byte by byte, as a server would send them, for parser tests. */
final class Flights {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  byte[] bytes() {
    return out.toByteArray();
  }

  Flights record(int type, int version, byte[] fragment) {
    out.write(type);
    u16(out, version);
    u16(out, fragment.length);
    out.writeBytes(fragment);
    return this;
  }

  Flights handshake(byte[]... messages) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] message : messages) {
      joined.writeBytes(message);
    }
    return record(22, 0x0303, joined.toByteArray());
  }

  Flights alert(int level, int description) {
    return record(21, 0x0303, new byte[] {(byte) level, (byte) description});
  }

  static byte[] message(int type, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    u24(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  static byte[] serverHello(int version, int suite, int compression, byte[]... extensions) {
    return serverHello(version, new byte[32], suite, compression, extensions);
  }

  static byte[] helloRetryRequest(int suite, int group) {
    return serverHello(
        0x0303,
        ServerHello.HELLO_RETRY_REQUEST_RANDOM,
        suite,
        0,
        extension(TlsExtension.SUPPORTED_VERSIONS, new byte[] {3, 4}),
        extension(TlsExtension.KEY_SHARE, new byte[] {(byte) (group >> 8), (byte) group}));
  }

  static byte[] serverHello(
      int version, byte[] random, int suite, int compression, byte[]... extensions) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u16(body, version);
    body.writeBytes(random);
    body.write(32);
    body.writeBytes(new byte[32]);
    u16(body, suite);
    body.write(compression);
    if (extensions.length > 0) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] extension : extensions) {
        all.writeBytes(extension);
      }
      u16(body, all.size());
      body.writeBytes(all.toByteArray());
    }
    return message(2, body.toByteArray());
  }

  static byte[] extension(int type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, type);
    u16(out, data.length);
    out.writeBytes(data);
    return out.toByteArray();
  }

  static byte[] keyShare(int group, int keyLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, group);
    u16(out, keyLength);
    out.writeBytes(new byte[keyLength]);
    return extension(TlsExtension.KEY_SHARE, out.toByteArray());
  }

  static byte[] certificate(List<byte[]> ders) {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (byte[] der : ders) {
      u24(list, der.length);
      list.writeBytes(der);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u24(body, list.size());
    body.writeBytes(list.toByteArray());
    return message(11, body.toByteArray());
  }

  /** An ECDHE ServerKeyExchange; {@code scheme} null for TLS 1.0/1.1 form. */
  static byte[] ecdheKeyExchange(int group, int pointLength, Integer scheme) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(3);
    u16(body, group);
    body.write(pointLength);
    body.writeBytes(new byte[pointLength]);
    signature(body, scheme);
    return message(12, body.toByteArray());
  }

  static byte[] dheKeyExchange(BigInteger p, BigInteger g, Integer scheme) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    vector16(body, unsigned(p));
    vector16(body, unsigned(g));
    vector16(body, new byte[p.bitLength() / 8]);
    signature(body, scheme);
    return message(12, body.toByteArray());
  }

  static byte[] serverHelloDone() {
    return message(14, new byte[0]);
  }

  private static void signature(ByteArrayOutputStream body, Integer scheme) {
    if (scheme != null) {
      u16(body, scheme);
    }
    vector16(body, new byte[64]);
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      return java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return bytes;
  }

  private static void vector16(ByteArrayOutputStream out, byte[] data) {
    u16(out, data.length);
    out.writeBytes(data);
  }

  static void u16(ByteArrayOutputStream out, int value) {
    out.write(value >> 8);
    out.write(value);
  }

  static void u24(ByteArrayOutputStream out, int value) {
    out.write(value >> 16);
    out.write(value >> 8);
    out.write(value);
  }

  /** A complete TLS 1.2 ECDHE_RSA flight: hello, chain, key exchange, done. */
  static byte[] tls12Flight() {
    return new Flights()
        .handshake(
            serverHello(
                0x0303,
                0xC02F,
                0,
                extension(TlsExtension.RENEGOTIATION_INFO, new byte[] {0}),
                extension(TlsExtension.EXTENDED_MASTER_SECRET, new byte[0])),
            certificate(List.of(new byte[] {0x30, 1, 2}, new byte[] {0x30, 3, 4})),
            ecdheKeyExchange(NamedGroup.X25519, 32, SignatureScheme.RSA_PKCS1_SHA1),
            serverHelloDone())
        .bytes();
  }
}
