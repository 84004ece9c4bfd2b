package io.mxwatch.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.tls.SmtpFront;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StartTlsProberTest {

  @Test
  void probe_namesIpv6AddressInShortForm() throws Exception {
    InetAddress loopback = InetAddress.getByName("::1");
    int closedPort;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(loopback, 0));
      closedPort = socket.getLocalPort();
    }

    SmtpEvidence evidence =
        new StartTlsProber(Duration.ofSeconds(5), "scanner.test")
            .probe("mx.test", loopback, closedPort);

    assertThat(evidence.outcome()).isEqualTo(SmtpOutcome.CONNECT_FAILED);
    assertThat(evidence.address()).isEqualTo("::1");
    assertThat(evidence.target()).isEqualTo("mx.test/::1");
    assertThat(evidence.error()).isEqualTo("connection refused");
  }

  @Test
  void probe_silentTlsServerIsHandshakeTimeout() throws Exception {
    SmtpFront.TlsBackend silent =
        socket -> {
          // Reads the ClientHello and never answers, as a broken TLS offload would.
          socket.getInputStream().readAllBytes();
          throw new IOException("client went away");
        };
    try (SmtpFront front = SmtpFront.start(silent)) {
      SmtpEvidence evidence =
          new StartTlsProber(Duration.ofSeconds(1), "scanner.test")
              .probe("mx.test", front.address(), front.port());

      assertThat(evidence.outcome()).isEqualTo(SmtpOutcome.HANDSHAKE_TIMEOUT);
      assertThat(evidence.outcome().inconclusive()).isTrue();
      assertThat(evidence.error()).isEqualTo("TLS handshake timed out after 1 s");
      assertThat(evidence.greeting()).startsWith("mx.test ESMTP");
    }
  }
}
