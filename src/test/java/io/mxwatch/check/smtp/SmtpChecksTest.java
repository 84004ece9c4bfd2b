package io.mxwatch.check.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.smtp.SmtpEvidence;
import io.mxwatch.smtp.SmtpOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpChecksTest {

  private static SmtpEvidence handshakeTimedOut(String address) {
    return new SmtpEvidence(
        "mx.test",
        address,
        25,
        SmtpOutcome.HANDSHAKE_TIMEOUT,
        "mx.test ESMTP",
        List.of("PIPELINING", "STARTTLS"),
        null,
        null,
        List.of(),
        "220 ready for TLS",
        "TLS handshake timed out after 30 s",
        List.of(),
        1);
  }

  @Test
  void starttls_handshakeTimeoutIsError() {
    Finding starttls = SmtpChecks.starttls(handshakeTimedOut("192.0.2.25"));

    assertThat(starttls.status()).isEqualTo(Status.ERROR);
    assertThat(starttls.target()).isEqualTo("mx.test/192.0.2.25");
    assertThat(starttls.summary()).isEqualTo("TLS handshake timed out after 30 s");
    assertThat(starttls.advice()).isNull();
  }

  @Test
  void reachable_handshakeTimeoutNamesTimeout() {
    Finding reachable = SmtpChecks.reachable(handshakeTimedOut("192.0.2.25"));

    assertThat(reachable.status()).isEqualTo(Status.PASS);
    assertThat(reachable.summary()).startsWith("answers with 220 mx.test ESMTP");
    assertThat(reachable.summary()).contains("TLS handshake after STARTTLS timed out");
  }

  @Test
  void ipv6Reach_handshakeTimeoutStillAnswered() {
    Finding reach = SmtpChecks.ipv6Reach("mx.test", List.of(handshakeTimedOut("2001:db8::25")));

    assertThat(reach.status()).isEqualTo(Status.PASS);
  }
}
