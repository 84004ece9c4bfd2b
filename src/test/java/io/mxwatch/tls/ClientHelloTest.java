package io.mxwatch.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientHelloTest {

  /** The fields of an encoded hello, read back with the same bounded reader the probe uses. */
  record Decoded(
      int recordVersion,
      int version,
      List<Integer> suites,
      List<Integer> compression,
      Map<Integer, byte[]> extensions,
      int handshakeLength) {}

  static Decoded decode(byte[] record) throws TlsParseException {
    TlsBuffer in = new TlsBuffer(record, "record");
    assertThat(in.u8()).isEqualTo(22);
    int recordVersion = in.u16();
    TlsBuffer handshake = in.vector16("handshake");
    in.expectEnd();
    assertThat(handshake.u8()).isEqualTo(1);
    TlsBuffer body = handshake.vector24("ClientHello");
    int length = body.remaining() + 4;
    int version = body.u16();
    body.bytes(32);
    body.vector8("session id");
    TlsBuffer suiteBytes = body.vector16("suites");
    List<Integer> suites = new ArrayList<>();
    while (suiteBytes.hasRemaining()) {
      suites.add(suiteBytes.u16());
    }
    TlsBuffer compressionBytes = body.vector8("compression");
    List<Integer> compression = new ArrayList<>();
    while (compressionBytes.hasRemaining()) {
      compression.add(compressionBytes.u8());
    }
    Map<Integer, byte[]> extensions = new HashMap<>();
    if (body.hasRemaining()) {
      TlsBuffer list = body.vector16("extensions");
      while (list.hasRemaining()) {
        int type = list.u16();
        extensions.put(type, list.vector16("extension").rest());
      }
    }
    body.expectEnd();
    return new Decoded(recordVersion, version, suites, compression, extensions, length);
  }

  @Test
  void encode_tls13Hello() throws Exception {
    ClientHello hello = ClientHello.of(TlsVersion.TLS_1_3, List.of(0x1301, 0x1302), "mx.test");

    Decoded decoded = decode(hello.encode());

    assertThat(decoded.recordVersion()).isEqualTo(0x0301);
    assertThat(decoded.version()).isEqualTo(0x0303);
    assertThat(decoded.suites()).containsExactly(0x1301, 0x1302);
    assertThat(decoded.compression()).containsExactly(0);
    assertThat(decoded.extensions().get(TlsExtension.SUPPORTED_VERSIONS)).containsExactly(2, 3, 4);
    assertThat(decoded.extensions()).containsKeys(TlsExtension.KEY_SHARE, TlsExtension.SERVER_NAME);
    assertThat(decoded.extensions()).doesNotContainKey(TlsExtension.RENEGOTIATION_INFO);
    // x25519 (32 bytes) and secp256r1 (65 bytes), each with a 4-byte header, after a 2-byte length.
    assertThat(decoded.extensions().get(TlsExtension.KEY_SHARE)).hasSize(2 + 36 + 69);
  }

  @Test
  void encode_tls12HelloOffersDeflateAndExtensions() throws Exception {
    ClientHello hello =
        ClientHello.of(TlsVersion.TLS_1_2, List.of(0xC02F), null)
            .withCompressionMethods(List.of(1));

    Decoded decoded = decode(hello.encode());

    assertThat(decoded.version()).isEqualTo(0x0303);
    assertThat(decoded.compression()).containsExactly(1, 0);
    assertThat(decoded.extensions())
        .containsKeys(
            TlsExtension.RENEGOTIATION_INFO,
            TlsExtension.EXTENDED_MASTER_SECRET,
            TlsExtension.SIGNATURE_ALGORITHMS,
            TlsExtension.SUPPORTED_GROUPS)
        .doesNotContainKeys(TlsExtension.SERVER_NAME, TlsExtension.SUPPORTED_VERSIONS);
  }

  @Test
  void encode_ssl3HelloUsesScsvWithoutExtensions() throws Exception {
    Decoded decoded = decode(ClientHello.of(TlsVersion.SSL_3_0, List.of(0x000A), null).encode());

    assertThat(decoded.recordVersion()).isEqualTo(0x0300);
    assertThat(decoded.version()).isEqualTo(0x0300);
    assertThat(decoded.suites()).containsExactly(0x000A, 0x00FF);
    assertThat(decoded.extensions()).isEmpty();
  }

  @Test
  void encode_sha1OnlySignatureAlgorithms() throws Exception {
    ClientHello hello =
        ClientHello.of(TlsVersion.TLS_1_2, List.of(0xC02F), null)
            .withSignatureAlgorithms(SignatureScheme.SHA1);

    byte[] schemes = decode(hello.encode()).extensions().get(TlsExtension.SIGNATURE_ALGORITHMS);

    assertThat(schemes).containsExactly(0, 6, 2, 1, 2, 2, 2, 3);
  }

  @ParameterizedTest
  @MethodSource("suiteCounts")
  void encode_neverBetween256And511Bytes(int suites) throws Exception {
    List<Integer> codes =
        CipherSuites.legacyCandidates().stream().limit(suites).map(CipherSuite::code).toList();

    int length =
        decode(ClientHello.of(TlsVersion.TLS_1_2, codes, "mx.test").encode()).handshakeLength();

    assertThat(length < 256 || length >= 512).as("hello of %d bytes", length).isTrue();
  }

  static Stream<Arguments> suiteCounts() {
    return Stream.of(1, 10, 40, 60, 80, 100, 128, 200).map(Arguments::of);
  }

  @Test
  void encode_sslv2Hello() {
    byte[] hello = Sslv2Hello.encode();

    assertThat(hello[0] & 0x80).isEqualTo(0x80);
    assertThat(((hello[0] & 0x7f) << 8) | (hello[1] & 0xff)).isEqualTo(hello.length - 2);
    assertThat(hello[2]).isEqualTo((byte) 1);
    assertThat(hello[3]).isEqualTo((byte) 0);
    assertThat(hello[4]).isEqualTo((byte) 2);
  }
}
