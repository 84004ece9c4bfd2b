package io.mxwatch.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.smtp.ScanWindowCache;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingPostureProberTest {

  @Test
  void probe_freshProbeBypassesWindow() throws Exception {
    TestPki.Chain chain = TestPki.chain("mx.test", TestPki.ec("secp256r1"), "SHA256withRSA", 90);
    JsseTls backend =
        new JsseTls(chain.leaf(), chain.sent(), List.of("TLSv1.3"), null).withNamedGroups("x25519");
    try (SmtpFront front = SmtpFront.start(backend)) {
      CachingPostureProber prober =
          new CachingPostureProber(
              Probes.handshakeProber(),
              new ScanWindowCache<>(10, Clock.systemUTC()),
              Duration.ofHours(1));

      prober.probe("mx.test", front.address(), front.port());
      int afterFirst = front.connections();
      TlsPosture fresh = prober.probe("mx.test", front.address(), front.port(), true);
      int afterFresh = front.connections();
      TlsPosture reused = prober.probe("mx.test", front.address(), front.port());

      assertThat(afterFresh).isGreaterThan(afterFirst);
      assertThat(fresh.connections()).isEqualTo(afterFresh - afterFirst);
      assertThat(reused.connections()).isZero();
      assertThat(front.connections()).isEqualTo(afterFresh);
    }
  }
}
