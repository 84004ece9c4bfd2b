package io.mxwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the Prometheus alert rules with promtool (Debian package {@code prometheus}). Skipped when
 * promtool is not installed, unless MXWATCH_REQUIRE_PEERS=1 makes its absence a failure.
 */
class AlertRulesTest {
  private static final Path RULES = Path.of("deploy", "prometheus", "alerts.yml");
  private static final Path RULE_TESTS = Path.of("deploy", "prometheus", "alerts-test.yml");

  private static Path promtool;

  @BeforeAll
  static void findPromtool() {
    promtool =
        java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
            .map(Path::of)
            .map(directory -> directory.resolve("promtool"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    if (promtool == null && "1".equals(System.getenv("MXWATCH_REQUIRE_PEERS"))) {
      throw new AssertionError("promtool is required (MXWATCH_REQUIRE_PEERS=1) but not on PATH");
    }
    Assumptions.assumeTrue(promtool != null, "promtool is not installed");
  }

  @Test
  void checkRules_acceptsAlerts() throws Exception {
    Result result = run("check", "rules", RULES.toString());
    assertThat(result.output()).contains("SUCCESS");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void testRules_firesExpectedAlerts() throws Exception {
    Result result = run("test", "rules", RULE_TESTS.toString());
    assertThat(result.output()).contains("SUCCESS");
    assertThat(result.exitCode()).isZero();
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
