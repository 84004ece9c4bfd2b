package io.mxwatch.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HandshakeProberTest {
  static TestPki.Chain ecChain;
  static TestPki.Chain rsaChain;

  @BeforeAll
  static void certificates() {
    ecChain = TestPki.chain("mx.test", TestPki.ec("secp256r1"), "SHA256withRSA", 90);
    rsaChain = TestPki.chain("mx.test", TestPki.rsa(2048), "SHA256withRSA", 90);
  }

  @Test
  void probe_hardenedJsseServer() throws Exception {
    JsseTls backend =
        new JsseTls(
                ecChain.leaf(),
                ecChain.sent(),
                List.of("TLSv1.3", "TLSv1.2"),
                List.of(
                    "TLS_AES_256_GCM_SHA384",
                    "TLS_AES_128_GCM_SHA256",
                    "TLS_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
            .withNamedGroups("x25519", "secp256r1", "secp384r1", "ffdhe2048");
    try (SmtpFront front = SmtpFront.start(backend)) {
      TlsPosture posture = Probes.handshakeProber().probe("mx.test", front.address(), front.port());

      assertThat(posture.failure()).isNull();
      assertThat(posture.acceptedVersions())
          .containsExactlyInAnyOrder(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
      assertThat(posture.suites())
          .extracting(TlsPosture.AcceptedSuite::code)
          .containsExactlyInAnyOrder(0xC02C, 0xC02B);
      assertThat(posture.tls13Suites()).containsExactlyInAnyOrder(0x1301, 0x1302, 0x1303);
      // The ECDSA certificate's curve must stay offered in TLS 1.2 (RFC 8422 §5.1), so the other
      // curves are only found with it appended.
      assertThat(posture.keyExchange().ecdheCurves())
          .containsExactlyInAnyOrder(NamedGroup.SECP256R1, NamedGroup.X25519, 24);
      assertThat(posture.keyExchange().tls13Groups())
          .containsExactlyInAnyOrder(NamedGroup.SECP256R1, NamedGroup.X25519, 24, 0x0100);
      assertThat(posture.sigalgs().sha1Scheme()).isNull();
      assertThat(posture.deflate()).isFalse();
      assertThat(posture.secureRenegotiation()).isTrue();
      assertThat(posture.extendedMasterSecret()).isTrue();
      assertThat(posture.certificates()).hasSize(2);
      assertThat(posture.connections()).isEqualTo(front.connections());
    }
  }

  @Test
  void probe_weakBouncyCastleServer() throws Exception {
    BcTls backend =
        BcTls.of(
                List.of(ProtocolVersion.TLSv10, ProtocolVersion.TLSv11, ProtocolVersion.TLSv12),
                List.of(
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
                    CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
                    CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256),
                rsaChain.leaf(),
                rsaChain.sent())
            .withSha1Signatures(false)
            .withoutExtendedMasterSecret();
    try (SmtpFront front = SmtpFront.start(backend)) {
      TlsPosture posture = Probes.handshakeProber().probe("mx.test", front.address(), front.port());

      assertThat(posture.failure()).isNull();
      assertThat(posture.acceptedVersions())
          .containsExactlyInAnyOrder(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2);
      assertThat(posture.cipherVersion()).isEqualTo(TlsVersion.TLS_1_2);
      assertThat(posture.suites())
          .extracting(TlsPosture.AcceptedSuite::code)
          .containsExactlyInAnyOrder(0xC02F, 0xC027, 0xC013, 0x002F, 0x009E);
      assertThat(posture.olderSuites()).isEmpty();
      assertThat(posture.sigalgs().sha1Scheme()).isEqualTo(SignatureScheme.RSA_PKCS1_SHA1);
      assertThat(posture.extendedMasterSecret()).isFalse();
      assertThat(posture.keyExchange().dhParameters()).isNotEmpty();
      assertThat(posture.cipherOrder().tested()).isTrue();
      assertThat(posture.cipherOrder().violated()).isFalse();
      assertThat(posture.cipherOrder().preference()).isEqualTo(TlsPosture.Preference.SERVER);
      assertThat(posture.cipherOrder().serverChoice()).isEqualTo(0xC02F);
      assertThat(posture.clientRenegotiation().allowed()).isZero();
    }
  }

  @Test
  void probe_concurrentProbesShareTheAddressLimit() throws Exception {
    JsseTls backend =
        new JsseTls(ecChain.leaf(), ecChain.sent(), List.of("TLSv1.3", "TLSv1.2"), null)
            .withNamedGroups("x25519", "secp256r1");
    try (SmtpFront front = SmtpFront.start(backend)) {
      io.mxwatch.smtp.AddressGate gate = new io.mxwatch.smtp.AddressGate();
      HandshakeProber prober =
          new HandshakeProber(
              java.time.Duration.ofSeconds(10),
              "scanner.test",
              Probes.fastPolicy().withMaxConnectionsPerAddress(2),
              gate,
              duration -> {},
              io.mxwatch.check.tls.CipherGrading::orderTests);
      var threads =
          java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
      var futures =
          java.util.stream.IntStream.range(0, 4)
              .mapToObj(
                  i ->
                      java.util.concurrent.CompletableFuture.supplyAsync(
                          () -> prober.probe("mx" + i + ".test", front.address(), front.port()),
                          threads))
              .toList();
      // Sample the gate from the client side: the server notices a close only a moment later.
      java.util.concurrent.atomic.AtomicInteger maxOpen =
          new java.util.concurrent.atomic.AtomicInteger();
      String address = front.address().getHostAddress();
      Thread sampler =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      maxOpen.accumulateAndGet(gate.open(address), Math::max);
                      java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                  });
      futures.forEach(f -> assertThat(f.join().failure()).isNull());
      sampler.interrupt();

      assertThat(maxOpen.get()).isEqualTo(2);
    }
  }

  @Test
  void probe_cachedPostureReusedWithinWindow() throws Exception {
    JsseTls backend =
        new JsseTls(ecChain.leaf(), ecChain.sent(), List.of("TLSv1.3"), null)
            .withNamedGroups("x25519");
    try (SmtpFront front = SmtpFront.start(backend)) {
      CachingPostureProber prober =
          new CachingPostureProber(
              Probes.handshakeProber(),
              new io.mxwatch.smtp.ScanWindowCache<>(10, java.time.Clock.systemUTC()),
              java.time.Duration.ofHours(1));

      TlsPosture first = prober.probe("mx.test", front.address(), front.port());
      int connections = front.connections();
      TlsPosture second = prober.probe("mx.test", front.address(), front.port());

      assertThat(second).isEqualTo(first.withConnections(0));
      assertThat(first.connections()).isPositive();
      assertThat(front.connections()).isEqualTo(connections);
    }
  }

  @Test
  void probe_silentServerIsInconclusive() throws Exception {
    SmtpFront.TlsBackend silent =
        socket -> {
          // Reads the hello and never answers, as a broken TLS offload would.
          socket.getInputStream().readAllBytes();
          throw new java.io.IOException("client went away");
        };
    try (SmtpFront front = SmtpFront.start(silent)) {
      HandshakeProber prober =
          new HandshakeProber(
              java.time.Duration.ofSeconds(1),
              "scanner.test",
              Probes.fastPolicy(),
              new io.mxwatch.smtp.AddressGate(),
              duration -> {},
              io.mxwatch.check.tls.CipherGrading::orderTests);

      TlsPosture posture = prober.probe("mx.test", front.address(), front.port());

      assertThat(posture.complete()).isFalse();
      assertThat(posture.failure()).contains("3 ClientHellos in a row got no reply");
      assertThat(posture.connections()).isEqualTo(HandshakeProber.MAX_CONSECUTIVE_TIMEOUTS);
    }
  }

  /**
   * A TLS "server" that reads one hello and answers with canned bytes: enough for the partial
   * handshakes of the probe, never for a full handshake.
   */
  static SmtpFront.TlsBackend canned(java.util.function.Function<byte[], byte[]> reply) {
    return socket -> {
      java.io.InputStream in = socket.getInputStream();
      int first = in.read();
      byte[] hello;
      if ((first & 0x80) != 0) {
        int length = ((first & 0x7f) << 8) | in.read();
        hello = in.readNBytes(length);
      } else {
        byte[] header = in.readNBytes(4);
        hello = in.readNBytes(((header[2] & 0xff) << 8) | (header[3] & 0xff));
      }
      byte[] answer = reply.apply(FlightReaderTest.concat(new byte[] {(byte) first}, hello));
      socket.getOutputStream().write(answer);
      socket.getOutputStream().flush();
      throw new java.io.IOException("canned reply sent");
    };
  }

  /** The version field of a TLS ClientHello (after the record byte and the handshake header). */
  static int helloVersion(byte[] hello) {
    return ((hello[5] & 0xff) << 8) | (hello[6] & 0xff);
  }

  @Test
  void probe_sslv2ServerHello() throws Exception {
    byte[] serverHello = {
      (byte) 0x80, 17, 4, 0, 1, 0, 2, 0, 0, 0, 6, 0, 0, 1, 0, (byte) 0x80, 7, 0, (byte) 0xc0
    };
    try (SmtpFront front =
        SmtpFront.start(
            canned(
                hello ->
                    (hello[0] & 0x80) != 0 ? serverHello : new Flights().alert(2, 70).bytes()))) {
      TlsPosture posture = Probes.handshakeProber().probe("mx.test", front.address(), front.port());

      assertThat(posture.acceptedVersions()).containsExactly(TlsVersion.SSL_2_0);
      assertThat(posture.sslv2CipherKinds()).containsExactly(0x010080, 0x0700C0);
    }
  }

  @Test
  void probe_deflateChosen() throws Exception {
    byte[] tls12 =
        new Flights()
            .handshake(
                Flights.serverHello(
                    0x0303,
                    0x009C,
                    1,
                    Flights.extension(TlsExtension.RENEGOTIATION_INFO, new byte[] {0})),
                Flights.certificate(List.of(new byte[] {0x30, 0})),
                Flights.serverHelloDone())
            .bytes();
    try (SmtpFront front =
        SmtpFront.start(
            canned(
                hello ->
                    (hello[0] & 0x80) == 0 && helloVersion(hello) == 0x0303
                        ? tls12
                        : new Flights().alert(2, 70).bytes()))) {
      TlsPosture posture = Probes.handshakeProber().probe("mx.test", front.address(), front.port());

      assertThat(posture.acceptedVersions()).containsExactly(TlsVersion.TLS_1_2);
      assertThat(posture.deflate()).isTrue();
      assertThat(posture.extendedMasterSecret()).isFalse();
      assertThat(posture.secureRenegotiation()).isTrue();
    }
  }

  /** The cipher suites a canned hello offers. */
  static List<Integer> offeredSuites(byte[] hello) {
    int offset = 7 + 32;
    offset += 1 + (hello[offset] & 0xff);
    int length = ((hello[offset] & 0xff) << 8) | (hello[offset + 1] & 0xff);
    List<Integer> suites = new java.util.ArrayList<>();
    for (int i = offset + 2; i < offset + 2 + length; i += 2) {
      suites.add(((hello[i] & 0xff) << 8) | (hello[i + 1] & 0xff));
    }
    return suites;
  }

  @Test
  void probe_suiteAcceptedOnlyInTls10() throws Exception {
    java.util.function.Function<byte[], byte[]> server =
        hello -> {
          if ((hello[0] & 0x80) != 0) {
            return new Flights().alert(2, 70).bytes();
          }
          int version = helloVersion(hello);
          List<Integer> offered = offeredSuites(hello);
          int suite = version == 0x0303 ? 0xC02F : version == 0x0301 ? 0x0005 : -1;
          if (suite < 0) {
            return new Flights().alert(2, 70).bytes();
          }
          if (!offered.contains(suite)) {
            return new Flights().alert(2, 40).bytes();
          }
          return new Flights()
              .handshake(
                  Flights.serverHello(
                      version,
                      suite,
                      0,
                      Flights.extension(TlsExtension.RENEGOTIATION_INFO, new byte[] {0})),
                  Flights.serverHelloDone())
              .bytes();
        };
    try (SmtpFront front = SmtpFront.start(canned(server))) {
      TlsPosture posture = Probes.handshakeProber().probe("mx.test", front.address(), front.port());

      assertThat(posture.suites())
          .extracting(TlsPosture.AcceptedSuite::code)
          .containsExactly(0xC02F);
      assertThat(posture.olderSuites())
          .containsExactly(Map.entry(TlsVersion.TLS_1_0, List.of(0x0005)));
    }
  }
}
