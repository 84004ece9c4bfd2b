package io.mxwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application is killed (SIGKILL) while it scans 100 domains and started again: every
 * domain must end with exactly one complete result for the run, none lost and none twice.
 */
@Tag("fault-injection")
class CrashRecoveryIT {
  private static final int DOMAINS = 100;

  /** The test database; the test creates a database of its own on the same server. */
  private static final String ADMIN_URL =
      System.getenv()
          .getOrDefault("MXWATCH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");

  private static final String SERVER_URL = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void killDuringScans_leavesOneResultPerDomain() throws Exception {
    String database = "mxwatch_crash_" + UUID.randomUUID().toString().substring(0, 8);
    execute(ADMIN_URL, "create database " + database);
    try (FleetWorld world = new FleetWorld(dir, DOMAINS, 10)) {
      world.greetingDelay(Duration.ofMillis(300));
      int port = freePort();
      Map<String, String> env = environment(world, database, port);

      Process first = start(env, dir.resolve("first.log"));
      awaitReady(port);
      for (String domain : world.domains) {
        post(port, "/api/domains", "{\"name\": \"" + domain + "\"}");
      }
      String url = SERVER_URL + database;
      await(
          () -> count(url, "select count(*) from scans where status = 'completed'") >= 20,
          Duration.ofMinutes(4),
          "20 scans stored before the kill");
      first.destroyForcibly().waitFor();
      long atKill = count(url, "select count(*) from scans");
      long leased = count(url, "select count(*) from domains where lease_owner is not null");

      Process second = start(env, dir.resolve("second.log"));
      try {
        awaitReady(port);
        await(
            () ->
                count(url, "select count(distinct domain_id) from scans where status = 'completed'")
                    == DOMAINS,
            Duration.ofMinutes(6),
            "every domain scanned after the restart");
        // Give a duplicate, if any, the chance to appear before counting.
        Thread.sleep(5000);

        assertThat(count(url, "select count(*) from scans where status = 'completed'"))
            .as("completed scans")
            .isEqualTo(DOMAINS);
        assertThat(
                count(
                    url,
                    "select count(*) from (select domain_id from scans where status = 'completed'"
                        + " group by domain_id having count(*) > 1) twice"))
            .as("domains with two results")
            .isZero();
        assertThat(count(url, "select count(*) from scans where status = 'failed'"))
            .as("failed scans")
            .isZero();
        assertThat(atKill).as("the kill happened mid-run").isLessThan(DOMAINS);
        assertThat(leased).as("domains were being scanned at the kill").isPositive();
        System.out.printf(
            "crash recovery: killed with %d of %d scans stored and %d domains leased;"
                + " after restart %d domains have exactly one result%n",
            atKill, DOMAINS, leased, DOMAINS);
      } finally {
        second.destroy();
        second.waitFor();
      }
    } finally {
      execute(ADMIN_URL, "drop database if exists " + database + " with (force)");
    }
  }

  private Map<String, String> environment(FleetWorld world, String database, int port) {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", SERVER_URL + database);
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.put("MXWATCH_DNS_RESOLVERS", world.resolver());
    env.put("MXWATCH_DNS_TRUST_ANCHOR_FILE", world.trustAnchor.toString());
    env.put("MXWATCH_DNS_TIMEOUT", "1s");
    env.put("MXWATCH_SMTP_PORT", String.valueOf(world.smtpPort));
    env.put("MXWATCH_SMTP_TIMEOUT", "5s");
    env.put("MXWATCH_SCAN_ALLOW_PRIVATE", "true");
    env.put("MXWATCH_SCAN_CONCURRENCY", "4");
    env.put("MXWATCH_SCAN_POLL_INTERVAL", "1s");
    env.put("MXWATCH_SCAN_LEASE", "15s");
    env.put("MXWATCH_SCAN_LEASE_RENEWAL", "5s");
    return env;
  }

  private static Process start(Map<String, String> env, Path log) throws IOException {
    Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
    assertThat(jar).as("packaged application (run 'mvn verify')").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return builder.start();
  }

  private void awaitReady(int port) throws Exception {
    await(
        () -> {
          try {
            return http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
          } catch (IOException e) {
            return false;
          }
        },
        Duration.ofMinutes(2),
        "the application to start");
  }

  private void post(int port, String path, String json) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(201);
  }

  interface Condition {
    boolean met() throws Exception;
  }

  private static void await(Condition condition, Duration timeout, String what) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.met()) {
      assertThat(Instant.now()).as(what).isBefore(deadline);
      Thread.sleep(500);
    }
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
