package io.mxwatch.check.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Status;
import io.mxwatch.smtp.SmtpEvidence;
import io.mxwatch.smtp.SmtpOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostureSourceTest {

  @Test
  void skipReason_handshakeTimeoutIsError() {
    SmtpEvidence evidence =
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

    PostureSource.Skipped skipped = PostureSource.skipReason(evidence).orElseThrow();

    assertThat(skipped.status()).isEqualTo(Status.ERROR);
    assertThat(skipped.reason()).isEqualTo("could not tell: TLS handshake timed out after 30 s");
  }
}
