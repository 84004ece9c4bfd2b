package io.mxwatch.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlightReaderTest {

  @Test
  void parse_tls12Flight() throws Exception {
    ServerFlight flight = FlightReader.parse(Flights.tls12Flight());

    assertThat(flight.accepted()).isTrue();
    assertThat(flight.serverHello().selectedVersion()).isEqualTo(0x0303);
    assertThat(flight.serverHello().cipherSuite()).isEqualTo(0xC02F);
    assertThat(flight.serverHello().secureRenegotiation()).isTrue();
    assertThat(flight.serverHello().extendedMasterSecret()).isTrue();
    assertThat(flight.serverHello().helloRetryRequest()).isFalse();
    assertThat(flight.certificates()).hasSize(2);
    assertThat(flight.keyExchange())
        .isEqualTo(
            new ServerKeyExchange.Ecdhe(NamedGroup.X25519, 32, SignatureScheme.RSA_PKCS1_SHA1));
    assertThat(flight.alert()).isNull();
  }

  @Test
  void parse_messageSplitAcrossRecords() throws Exception {
    byte[] whole =
        concat(
            Flights.serverHello(0x0303, 0xC02F, 0),
            Flights.certificate(List.of(new byte[3000])),
            Flights.serverHelloDone());
    Flights flights = new Flights();
    for (int i = 0; i < whole.length; i += 700) {
      flights.record(22, 0x0303, Arrays.copyOfRange(whole, i, Math.min(whole.length, i + 700)));
    }

    ServerFlight flight = FlightReader.parse(flights.bytes());

    assertThat(flight.certificates()).hasSize(1);
    assertThat(flight.certificates().get(0)).hasSize(3000);
  }

  @Test
  void parse_tls13ServerHelloStopsReading() throws Exception {
    byte[] bytes =
        new Flights()
            .handshake(
                Flights.serverHello(
                    0x0303,
                    0x1302,
                    0,
                    Flights.extension(TlsExtension.SUPPORTED_VERSIONS, new byte[] {3, 4}),
                    Flights.keyShare(NamedGroup.X25519, 32)))
            .record(20, 0x0303, new byte[] {1})
            .record(23, 0x0303, new byte[40])
            .bytes();

    ServerFlight flight = FlightReader.parse(bytes);

    assertThat(flight.serverHello().selectedVersion()).isEqualTo(0x0304);
    assertThat(flight.serverHello().keyShareGroup()).contains(NamedGroup.X25519);
    assertThat(flight.serverHello().helloRetryRequest()).isFalse();
  }

  @Test
  void parse_helloRetryRequest() throws Exception {
    byte[] bytes =
        new Flights().handshake(Flights.helloRetryRequest(0x1301, NamedGroup.SECP256R1)).bytes();

    ServerFlight flight = FlightReader.parse(bytes);

    assertThat(flight.serverHello().helloRetryRequest()).isTrue();
    assertThat(flight.serverHello().selectedVersion()).isEqualTo(0x0304);
    assertThat(flight.serverHello().keyShareGroup()).contains(NamedGroup.SECP256R1);
    assertThat(flight.serverHello().cipherSuite()).isEqualTo(0x1301);
  }

  @ParameterizedTest
  @MethodSource("alerts")
  void parse_alert(int level, int description, String text) throws Exception {
    ServerFlight flight = FlightReader.parse(new Flights().alert(level, description).bytes());

    assertThat(flight.accepted()).isFalse();
    assertThat(flight.alert().toString()).isEqualTo(text);
    assertThat(flight.rejection()).isEqualTo("alert " + text);
  }

  static Stream<Arguments> alerts() {
    return Stream.of(
        Arguments.of(2, 40, "fatal handshake_failure"),
        Arguments.of(2, 70, "fatal protocol_version"),
        Arguments.of(2, 71, "fatal insufficient_security"),
        Arguments.of(1, 100, "warning no_renegotiation"),
        Arguments.of(2, 200, "fatal alert 200"));
  }

  @Test
  void parse_closedWithoutReply() throws Exception {
    ServerFlight flight = FlightReader.parse(new byte[0]);

    assertThat(flight.accepted()).isFalse();
    assertThat(flight.rejection()).isEqualTo("connection closed without a ServerHello");
  }

  @ParameterizedTest
  @MethodSource("keyExchanges")
  void parse_serverKeyExchange(int version, int suite, byte[] message, ServerKeyExchange expected)
      throws Exception {
    byte[] bytes =
        new Flights()
            .handshake(Flights.serverHello(version, suite, 0), message, Flights.serverHelloDone())
            .bytes();

    assertThat(FlightReader.parse(bytes).keyExchange()).isEqualTo(expected);
  }

  static Stream<Arguments> keyExchanges() {
    BigInteger ffdhe2048 = DHStandardGroups.rfc7919_ffdhe2048.getP();
    BigInteger modp1024 = DHStandardGroups.rfc2409_1024.getP();
    return Stream.of(
        Arguments.of(
            0x0303,
            0xC02B,
            Flights.ecdheKeyExchange(NamedGroup.SECP256R1, 65, 0x0403),
            new ServerKeyExchange.Ecdhe(NamedGroup.SECP256R1, 65, 0x0403)),
        Arguments.of(
            0x0301,
            0xC013,
            Flights.ecdheKeyExchange(21, 57, null),
            new ServerKeyExchange.Ecdhe(21, 57, null)),
        Arguments.of(
            0x0303,
            0x009E,
            Flights.dheKeyExchange(ffdhe2048, BigInteger.TWO, 0x0201),
            new ServerKeyExchange.Dhe(ffdhe2048, BigInteger.TWO, 256, 0x0201)),
        Arguments.of(
            0x0302,
            0x0033,
            Flights.dheKeyExchange(modp1024, BigInteger.TWO, null),
            new ServerKeyExchange.Dhe(modp1024, BigInteger.TWO, 128, null)));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void parse_rejectsMalformed(String name, byte[] bytes, String message) {
    assertThatThrownBy(() -> FlightReader.parse(bytes))
        .as(name)
        .isInstanceOf(TlsParseException.class)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> malformed() {
    byte[] hello = Flights.serverHello(0x0303, 0xC02F, 0);
    byte[] overlong = new byte[] {22, 3, 3, (byte) 0xff, (byte) 0xff};
    byte[] hugeMessage =
        new Flights().handshake(new byte[] {2, 0x7f, (byte) 0xff, (byte) 0xff}).bytes();
    List<byte[]> seventeen = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      seventeen.add(new byte[] {0x30});
    }
    byte[] duplicate =
        Flights.serverHello(
            0x0303,
            0xC02F,
            0,
            Flights.extension(TlsExtension.EXTENDED_MASTER_SECRET, new byte[0]),
            Flights.extension(TlsExtension.EXTENDED_MASTER_SECRET, new byte[0]));
    return Stream.of(
        Arguments.of("record over the TLS maximum", overlong, "exceeds the TLS maximum"),
        Arguments.of("handshake message over the bound", hugeMessage, "exceeds"),
        Arguments.of(
            "chain of 17",
            new Flights().handshake(hello, Flights.certificate(seventeen)).bytes(),
            "longer than 16"),
        Arguments.of(
            "duplicate extension", new Flights().handshake(duplicate).bytes(), "repeats extension"),
        Arguments.of(
            "certificate before hello",
            new Flights().handshake(Flights.certificate(List.of(new byte[] {1}))).bytes(),
            "before ServerHello"),
        Arguments.of("SSLv2 record", new byte[] {(byte) 0x80, 3, 4, 0, 2}, "SSLv2 record"),
        Arguments.of(
            "unknown record type",
            new Flights().record(99, 0x0303, new byte[] {1}).bytes(),
            "unknown record type"),
        Arguments.of(
            "not TLS at all",
            "220 mail.example ESMTP\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "is not TLS"),
        Arguments.of("truncated record", Arrays.copyOf(Flights.tls12Flight(), 30), "truncated"),
        Arguments.of(
            "truncated hello",
            new Flights().handshake(Flights.message(2, new byte[] {3, 3, 1})).bytes(),
            "truncated"),
        Arguments.of("second ServerHello", new Flights().handshake(hello, hello).bytes(), "second"),
        Arguments.of(
            "unknown curve type",
            new Flights().handshake(hello, Flights.message(12, new byte[] {7, 0, 23})).bytes(),
            "ECCurveType"));
  }

  @Test
  void parseSslv2_serverHello() throws Exception {
    byte[] body = {4, 0, 1, 0, 2, 0, 0, 0, 6, 0, 0, 1, 0, (byte) 0x80, 7, 0, (byte) 0xc0};

    Sslv2Hello.Reply reply = Sslv2Hello.parseServerHello(body);

    assertThat(reply.accepted()).isTrue();
    assertThat(reply.cipherKinds()).containsExactly(0x010080, 0x0700C0);
  }

  @Test
  void parseSslv2_tlsAlertIsNotAccepted() throws Exception {
    Sslv2Hello.Reply reply =
        Sslv2Hello.read(new java.io.ByteArrayInputStream(new Flights().alert(2, 70).bytes()));

    assertThat(reply.accepted()).isFalse();
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
