package io.mxwatch.tls;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The SSL 2.0 CLIENT-HELLO and SERVER-HELLO (draft-hickman-netscape-ssl-00 §2.5, §2.6), enough to
 * tell whether a server still speaks SSL 2.0 and which cipher kinds it offers.
 */
public final class Sslv2Hello {
  /** The seven SSL 2.0 cipher kinds, each three bytes. */
  static final int[] CIPHER_KINDS = {
    0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700C0
  };

  private Sslv2Hello() {}

  /** A CLIENT-HELLO offering every SSL 2.0 cipher kind, with a two-byte record header. */
  public static byte[] encode() {
    byte[] challenge = new byte[16];
    new SecureRandom().nextBytes(challenge);
    ClientHello.Writer body = new ClientHello.Writer();
    body.u8(1);
    body.u16(TlsVersion.SSL_2_0.wire());
    body.u16(CIPHER_KINDS.length * 3);
    body.u16(0);
    body.u16(challenge.length);
    for (int kind : CIPHER_KINDS) {
      body.u24(kind);
    }
    body.bytes(challenge);
    byte[] message = body.toByteArray();
    ClientHello.Writer record = new ClientHello.Writer();
    record.u16(0x8000 | message.length);
    record.bytes(message);
    return record.toByteArray();
  }

  /**
   * The server's reply.
   *
   * @param accepted true when a SERVER-HELLO arrived
   * @param cipherKinds the cipher kinds the server listed
   * @param note why it was not accepted, or null
   */
  public record Reply(boolean accepted, List<Integer> cipherKinds, String note) {
    public Reply {
      cipherKinds = List.copyOf(cipherKinds);
    }
  }

  public static Reply read(InputStream in) throws IOException, TlsParseException {
    int first = in.read();
    if (first == -1) {
      return new Reply(false, List.of(), "connection closed");
    }
    if ((first & 0x80) == 0) {
      // A TLS record (usually an alert) or a three-byte SSL 2.0 header: not a SERVER-HELLO.
      return new Reply(false, List.of(), String.format("record type %d, not SSL 2.0", first));
    }
    int second = in.read();
    if (second == -1) {
      return new Reply(false, List.of(), "connection closed");
    }
    int length = ((first & 0x7f) << 8) | second;
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new TlsParseException("SSL 2.0 record truncated");
    }
    return parseServerHello(body);
  }

  static Reply parseServerHello(byte[] body) throws TlsParseException {
    TlsBuffer in = new TlsBuffer(body, "SSL 2.0 SERVER-HELLO");
    int type = in.u8();
    if (type != 4) {
      return new Reply(false, List.of(), "SSL 2.0 message type " + type);
    }
    in.u8(); // session id hit
    in.u8(); // certificate type
    int version = in.u16();
    int certificateLength = in.u16();
    int specsLength = in.u16();
    int connectionIdLength = in.u16();
    in.bytes(certificateLength);
    if (specsLength % 3 != 0) {
      throw new TlsParseException(
          "SSL 2.0 cipher specs length " + specsLength + " is not a multiple of 3");
    }
    TlsBuffer specs = in.slice(specsLength, "SSL 2.0 cipher specs");
    in.bytes(connectionIdLength);
    List<Integer> kinds = new ArrayList<>();
    while (specs.hasRemaining()) {
      kinds.add(specs.u24());
    }
    if (version != TlsVersion.SSL_2_0.wire()) {
      return new Reply(false, kinds, String.format("SERVER-HELLO version 0x%04x", version));
    }
    return new Reply(true, kinds, null);
  }
}
