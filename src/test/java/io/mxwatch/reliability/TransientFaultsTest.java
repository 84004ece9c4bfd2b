package io.mxwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Status;
import io.mxwatch.service.ScanDispatcher;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.ScanStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Transient faults must never look like regressions: 200 domains scanned once without faults, then
 * five times with 5% of DNS queries timing out and 5% of SMTP sessions greeted with 421. No
 * domain's score may change and no regression may be recorded.
 */
@QuarkusTest
@TestProfile(TransientFaultsTest.Profile.class)
@Tag("fault-injection")
class TransientFaultsTest {
  private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(6);

  /** A profile of its own, so the fleet world starts with this test's Quarkus instance. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(FleetResource.class));
    }
  }

  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject ScanDispatcher dispatcher;
  @Inject EntityManager entityManager;

  @Test
  void transientFaults_changeNoScore() {
    FleetWorld world = FleetResource.world;
    for (String name : world.domains) {
      domains.add(DomainName.parse(name), List.of(), List.of());
    }

    world.faults(0, 0);
    runRound();
    Map<String, Integer> baseline = new HashMap<>();
    Map<String, Map<String, Status>> baselineStatuses = new HashMap<>();
    for (String name : world.domains) {
      var result = scans.latest(name).orElseThrow().result();
      assertThat(result.findings())
          .as("baseline findings of %s", name)
          .noneMatch(f -> f.status() == Status.ERROR);
      assertThat(result.score().overall()).as("baseline score of %s", name).isNotNull();
      baseline.put(name, result.score().overall());
      baselineStatuses.put(name, statuses(result));
    }

    world.faults(0.05, 0.05);
    int errorsSeen = 0;
    for (int round = 1; round <= 5; round++) {
      Instant started = runRound();
      for (String name : world.domains) {
        var result = scans.latest(name).orElseThrow().result();
        assertThat(result.scannedAt()).isAfterOrEqualTo(started);
        assertThat(result.score().overall())
            .as(
                "score of %s in round %d; findings that differ from the baseline: %s",
                name, round, differences(baselineStatuses.get(name), statuses(result)))
            .isEqualTo(baseline.get(name));
        errorsSeen +=
            (int) result.findings().stream().filter(f -> f.status() == Status.ERROR).count();
        assertThat(scans.events(name, 10)).as("changes recorded for %s", name).isEmpty();
      }
    }

    assertThat(scans.regressionCount()).isZero();
    // The faults really happened: without them the test would prove nothing.
    assertThat(world.droppedQueries.get()).isGreaterThan(100);
    assertThat(world.rejectedSessions.get()).isGreaterThan(20);
    System.out.printf(
        "transient faults: %d DNS queries dropped, %d SMTP sessions rejected, %d findings still"
            + " in error after retries, 0 score changes, 0 regressions%n",
        world.droppedQueries.get(), world.rejectedSessions.get(), errorsSeen);
  }

  private static Map<String, Status> statuses(io.mxwatch.model.ScanResult result) {
    Map<String, Status> statuses = new java.util.TreeMap<>();
    result.findings().forEach(f -> statuses.put(f.check() + " " + f.target(), f.status()));
    return statuses;
  }

  private static Map<String, String> differences(
      Map<String, Status> before, Map<String, Status> after) {
    Map<String, String> differences = new java.util.TreeMap<>();
    java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      if (before.get(key) != after.get(key)) {
        differences.put(key, before.get(key) + " -> " + after.get(key));
      }
    }
    return differences;
  }

  /** Makes every domain due, dispatches until each has a scan newer than the round's start. */
  private Instant runRound() {
    Instant started = Instant.now();
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery("update domains set next_scan_at = now()")
                    .executeUpdate());
    Instant deadline = started.plus(ROUND_TIMEOUT);
    while (true) {
      dispatcher.dispatch();
      long done = scannedSince(started);
      if (done == FleetResource.world.domains.size()) {
        return started;
      }
      assertThat(Instant.now())
          .as("round finished in time (%d scans done)", done)
          .isBefore(deadline);
      sleep(Duration.ofMillis(500));
    }
  }

  private long scannedSince(Instant since) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((Number)
                        entityManager
                            .createNativeQuery(
                                "select count(distinct domain_id) from scans"
                                    + " where status = 'completed' and started_at >= :since")
                            .setParameter("since", since)
                            .getSingleResult())
                    .longValue());
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
