package io.mxwatch.check.dane;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.smtp.SmtpEvidence;
import io.mxwatch.smtp.SmtpOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaneRolloverTest {
  private static final SmtpEvidence TIMED_OUT =
      new SmtpEvidence(
          "mx.test",
          "192.0.2.25",
          25,
          SmtpOutcome.HANDSHAKE_TIMEOUT,
          "mx.test ESMTP",
          List.of("STARTTLS"),
          null,
          null,
          List.of(),
          null,
          "TLS handshake timed out after 30 s",
          List.of(),
          1);

  private static Finding validError(String summary) {
    return new Finding(
        Check.DANE_VALID.id(), Status.ERROR, "mx.test/192.0.2.25", summary, Map.of(), null);
  }

  @Test
  void rollover_failedLookupNamesIt() {
    Finding valid =
        validError(
            "cannot tell: TLSA lookup at _25._tcp.mx.test failed (SERVFAIL from 192.0.2.53)");

    Finding rollover = DaneChecks.rollover(TIMED_OUT, List.of(), null, valid, List.of());

    assertThat(rollover.status()).isEqualTo(Status.ERROR);
    assertThat(rollover.summary())
        .isEqualTo(
            "rollover could not be judged: TLSA lookup at _25._tcp.mx.test failed (SERVFAIL from"
                + " 192.0.2.53)");
    assertThat(rollover.advice()).isNull();
  }

  @Test
  void rollover_failedProbeNamesIt() {
    Finding valid = validError("cannot tell: no TLS session (TLS handshake timed out after 30 s)");

    Finding rollover = DaneChecks.rollover(TIMED_OUT, List.of(), null, valid, List.of());

    assertThat(rollover.status()).isEqualTo(Status.ERROR);
    assertThat(rollover.summary())
        .isEqualTo(
            "rollover could not be judged: no TLS session (TLS handshake timed out after 30 s)");
  }
}
