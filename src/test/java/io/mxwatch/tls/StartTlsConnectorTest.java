package io.mxwatch.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxwatch.smtp.AddressGate;
import io.mxwatch.smtp.ProbePolicy;
import io.mxwatch.smtp.SmtpOutcome;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StartTlsConnectorTest {

  @Test
  void exchange_stopsOnceAddressBudgetIsUsedUp() throws Exception {
    ProbePolicy policy = ProbePolicy.defaults().withAddressBudget(Duration.ofMillis(1));
    StartTlsConnector connector =
        new StartTlsConnector(
            InetAddress.getLoopbackAddress(),
            9,
            Duration.ofSeconds(1),
            "scanner.test",
            policy,
            new AddressGate(),
            duration -> {});
    Thread.sleep(5);

    assertThatThrownBy(() -> connector.exchange(connection -> null))
        .isInstanceOf(StartTlsConnector.ConnectionFailure.class)
        .hasMessageContaining("time budget of 1 ms for probing this address is used up")
        .satisfies(
            e ->
                assertThat(((StartTlsConnector.ConnectionFailure) e).outcome())
                    .isEqualTo(SmtpOutcome.TIMEOUT));
    assertThat(connector.connections()).isZero();
  }

  @Test
  void probePolicy_rejectsNonPositiveBudget() {
    assertThatThrownBy(() -> ProbePolicy.defaults().withAddressBudget(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("time budget per address");
  }
}
