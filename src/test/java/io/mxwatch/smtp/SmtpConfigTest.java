package io.mxwatch.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmtpConfigTest {

  static SmtpConfig config(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new MapBackedConfigSource("test", properties) {})
            .withMapping(SmtpConfig.class)
            .build();
    return config.getConfigMapping(SmtpConfig.class);
  }

  @Test
  void policy_defaultsMatchProbePolicyDefaults() {
    assertThat(config(Map.of()).policy()).isEqualTo(ProbePolicy.defaults());
  }

  @Test
  void policy_readsProperties() {
    ProbePolicy policy =
        config(
                Map.of(
                    "mxwatch.smtp.max-connections-per-ip", "1",
                    "mxwatch.smtp.pause-between-connections", "2s",
                    "mxwatch.smtp.scan-window", "30m",
                    "mxwatch.smtp.cache-entries", "50",
                    "mxwatch.smtp.retries", "0",
                    "mxwatch.smtp.retry-backoff", "1m"))
            .policy();

    assertThat(policy)
        .isEqualTo(
            new ProbePolicy(
                1, Duration.ofSeconds(2), Duration.ofMinutes(30), 50, 0, Duration.ofMinutes(1)));
  }
}
