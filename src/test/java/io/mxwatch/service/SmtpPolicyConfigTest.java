package io.mxwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.smtp.ProbePolicy;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmtpPolicyConfigTest {

  static ProbePolicy policy(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withConverter(Duration.class, 100, new DurationConverter())
        .withSources(new MapBackedConfigSource("test", properties) {})
        .withMapping(MxwatchConfig.class)
        .build()
        .getConfigMapping(MxwatchConfig.class)
        .smtp()
        .policy();
  }

  @Test
  void policy_defaultsMatchProbePolicy() {
    assertThat(policy(Map.of())).isEqualTo(ProbePolicy.defaults());
  }

  @Test
  void policy_readsSmtpProperties() {
    ProbePolicy policy =
        policy(
            Map.of(
                "mxwatch.smtp.max-connections-per-ip", "1",
                "mxwatch.smtp.pause-between-connections", "2s",
                "mxwatch.smtp.scan-window", "30m",
                "mxwatch.smtp.cache-entries", "50",
                "mxwatch.smtp.retries", "0",
                "mxwatch.smtp.retry-backoff", "1m"));

    assertThat(policy)
        .isEqualTo(
            new ProbePolicy(
                1, Duration.ofSeconds(2), Duration.ofMinutes(30), 50, 0, Duration.ofMinutes(1)));
  }
}
