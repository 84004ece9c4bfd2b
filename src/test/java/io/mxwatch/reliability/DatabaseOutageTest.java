package io.mxwatch.reliability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.dns.DomainName;
import io.mxwatch.service.ScanDispatcher;
import io.mxwatch.store.DomainStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops for a minute while 30 domains are being scanned, then starts again: scanning
 * resumes by itself, the results finished during the outage are kept, and every domain ends with
 * exactly one result.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.Profile.class)
@Tag("fault-injection")
class DatabaseOutageTest {
  private static final Duration OUTAGE = Duration.ofSeconds(60);

  /** A profile of its own, so the fleet and the database start with this Quarkus instance. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(OutageResource.class));
    }
  }

  @Inject DomainStore domains;
  @Inject ScanDispatcher dispatcher;

  @Test
  void databaseOutage_keepsResultsAndResumes() throws SQLException {
    FleetWorld world = FleetResource.world;
    // Each SMTP greeting waits, so the scans span the outage.
    world.greetingDelay(Duration.ofMillis(100));
    for (String name : world.domains) {
      domains.add(DomainName.parse(name), List.of(), List.of());
    }
    dispatcher.dispatch();
    awaitCompleted(5, Duration.ofMinutes(3));

    OutageResource.stopDatabase();
    Instant outageStart = Instant.now();
    boolean reportedDown = false;
    int maxBuffered = 0;
    while (Instant.now().isBefore(outageStart.plus(OUTAGE))) {
      dispatcher.dispatch();
      maxBuffered = Math.max(maxBuffered, dispatcher.buffered());
      if (!reportedDown) {
        int status = given().when().get("/q/health/ready").then().extract().statusCode();
        reportedDown = status == 503;
      }
      sleep(Duration.ofSeconds(1));
    }
    Instant outageEnd = Instant.now();
    assertThat(reportedDown).as("readiness reported the outage").isTrue();
    assertThat(maxBuffered).as("results kept in memory during the outage").isPositive();

    OutageResource.startDatabase();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
    while (completedDomains() < world.domains.size()) {
      assertThat(Instant.now()).as("every domain scanned after the outage").isBefore(deadline);
      dispatcher.dispatch();
      sleep(Duration.ofSeconds(1));
    }

    assertThat(completedScans()).as("one result per domain").isEqualTo(world.domains.size());
    assertThat(finishedBetween(outageStart, outageEnd))
        .as("results of scans that finished during the outage")
        .isEqualTo(maxBuffered);
    assertThat(dispatcher.buffered()).isZero();
    given().when().get("/q/health/ready").then().statusCode(200);
    System.out.printf(
        "database outage: %d results finished during the %d s outage were kept in memory and"
            + " stored afterwards; all %d domains have one result%n",
        maxBuffered, OUTAGE.toSeconds(), world.domains.size());
  }

  private void awaitCompleted(int count, Duration timeout) throws SQLException {
    Instant deadline = Instant.now().plus(timeout);
    while (completedScans() < count) {
      assertThat(Instant.now()).as("%d scans stored", count).isBefore(deadline);
      dispatcher.dispatch();
      sleep(Duration.ofMillis(500));
    }
  }

  private long completedScans() throws SQLException {
    return count("select count(*) from scans where status = 'completed'");
  }

  private long completedDomains() throws SQLException {
    return count("select count(distinct domain_id) from scans where status = 'completed'");
  }

  private long finishedBetween(Instant from, Instant to) throws SQLException {
    return count(
        "select count(*) from scans where status = 'completed' and finished_at between '"
            + from
            + "' and '"
            + to
            + "'");
  }

  /** Counts through a connection of its own, outside the application's pool. */
  private static long count(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                OutageResource.database.jdbcUrl(), OutageResource.database.username(), "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
