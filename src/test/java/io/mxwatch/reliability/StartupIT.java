package io.mxwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the packaged application starts, or refuses to, from the command line. */
class StartupIT {
  @TempDir Path dir;

  record Exit(int status, String output) {}

  private Exit run(Map<String, String> env, String... args) throws Exception {
    Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
    assertThat(jar).as("packaged application (run 'mvn verify')").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    Path log = dir.resolve("output.log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("process ends").isTrue();
    return new Exit(process.exitValue(), Files.readString(log));
  }

  @Test
  void unknownCommand_printsUsageWithoutStartingService() throws Exception {
    Exit exit = run(Map.of("MXWATCH_DATA_DIR", dir.resolve("data").toString()), "sacn", "x.org");
    assertThat(exit.status()).isEqualTo(2);
    assertThat(exit.output()).contains("unknown command 'sacn'").contains("mxwatch scan");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void help_printsUsage() throws Exception {
    Exit exit = run(Map.of(), "--help");
    assertThat(exit.status()).isZero();
    assertThat(exit.output()).contains("Usage: mxwatch");
  }

  @Test
  void invalidResolverSetting_stopsServiceAtStart() throws Exception {
    Exit exit =
        run(
            Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL",
                System.getenv()
                    .getOrDefault("MXWATCH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
                "QUARKUS_DATASOURCE_USERNAME",
                "postgres",
                "QUARKUS_HTTP_PORT",
                "0",
                "MXWATCH_DNS_RESOLVERS",
                "dns.example"));
    assertThat(exit.status()).isNotZero();
    assertThat(exit.output()).contains("invalid DNS resolver 'dns.example'");
  }
}
