package io.mxwatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mxwatch.dns.DomainName;
import io.mxwatch.model.ScanResult;
import io.mxwatch.scan.DomainScanner;
import io.mxwatch.store.DomainRecord;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.ScanStore;
import io.mxwatch.store.ScanSummary;
import io.mxwatch.store.StoredScan;
import io.mxwatch.testsupport.Await;
import io.mxwatch.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScanDispatcherTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject ScanDispatcher dispatcher;
  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject DomainScanner realScanner;

  private StoredScan awaitLatest(String name) {
    return Await.value("a stored scan of " + name, WAIT, () -> scans.latest(name));
  }

  @Test
  void scanNow_storesResultAndReschedules() {
    String name =
        domains
            .add(DomainName.parse(Fixtures.uniqueName("dispatch")), List.of("s1"), List.of())
            .name();
    Instant before = Instant.now();

    assertThat(dispatcher.scanNow(name)).isTrue();
    ScanResult result = awaitLatest(name).result();

    assertThat(result.domain()).isEqualTo(name);
    assertThat(result.scannedAt()).isAfterOrEqualTo(before.truncatedTo(ChronoUnit.MILLIS));
    assertThat(result.findings())
        .allSatisfy(
            finding -> {
              assertThat(finding.check()).isNotBlank();
              assertThat(finding.target()).isNotBlank();
            });
    DomainRecord record =
        Await.value(
            "the lease to be released", WAIT, () -> domains.find(name).filter(d -> !d.scanning()));
    // The test resolver answers nothing, so the scan ends with errors: it comes back after the
    // error interval (1 hour) instead of the normal interval (24 hours).
    assertThat(result.findings()).anyMatch(f -> f.status() == io.mxwatch.model.Status.ERROR);
    assertThat(record.nextScanAt())
        .isCloseTo(Instant.now().plus(Duration.ofHours(1)), within(5, ChronoUnit.MINUTES));
  }

  @Test
  void scanNow_unknownDomainIsRejected() {
    assertThat(dispatcher.scanNow(Fixtures.uniqueName("unknown"))).isFalse();
  }

  @Test
  void dispatch_failingDomainDoesNotStopOthers() {
    String failing = Fixtures.uniqueName("broken");
    QuarkusMock.installMockForType(
        (Scanner)
            (domain, settings) -> {
              if (domain.ascii().equals(failing)) {
                throw new IllegalStateException("simulated fault in a check module");
              }
              return realScanner.scan(domain, settings);
            },
        Scanner.class);
    domains.add(DomainName.parse(failing), List.of(), List.of());
    List<String> healthy =
        List.of(
            domains
                .add(DomainName.parse(Fixtures.uniqueName("healthy")), List.of(), List.of())
                .name(),
            domains
                .add(DomainName.parse(Fixtures.uniqueName("healthy")), List.of(), List.of())
                .name(),
            domains
                .add(DomainName.parse(Fixtures.uniqueName("healthy")), List.of(), List.of())
                .name());

    dispatcher.requestDispatch();

    for (String name : healthy) {
      assertThat(awaitLatest(name).result().domain()).isEqualTo(name);
    }
    ScanSummary failed =
        Await.value(
            "the failed attempt of " + failing,
            WAIT,
            () -> scans.history(failing, 1).stream().findFirst());
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.error()).contains("simulated fault in a check module");
    assertThat(scans.latest(failing)).isEmpty();
    DomainRecord record =
        Await.value(
            "the lease of " + failing + " to be released",
            WAIT,
            () -> domains.find(failing).filter(d -> !d.scanning()));
    // A failed scan is retried after mxwatch.scan.retry-after-failure (1 hour by default).
    assertThat(record.nextScanAt())
        .isCloseTo(Instant.now().plus(Duration.ofHours(1)), within(5, ChronoUnit.MINUTES));
  }

  @Test
  void dispatch_runsAtMostConcurrencyScans() throws InterruptedException {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger running =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger maxRunning =
        new java.util.concurrent.atomic.AtomicInteger();
    QuarkusMock.installMockForType(
        (Scanner)
            (domain, settings) -> {
              maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              running.decrementAndGet();
              return realScanner.scan(domain, settings);
            },
        Scanner.class);
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      names.add(
          domains.add(DomainName.parse(Fixtures.uniqueName("busy")), List.of(), List.of()).name());
    }

    dispatcher.requestDispatch();
    Await.until("four scans to run", WAIT, () -> running.get() == 4);
    dispatcher.dispatch();
    Thread.sleep(200);

    // mxwatch.scan.concurrency defaults to 4.
    assertThat(maxRunning.get()).isEqualTo(4);
    assertThat(dispatcher.inFlight()).isEqualTo(4);
    release.countDown();
    for (String name : names) {
      awaitLatest(name);
    }
    assertThat(maxRunning.get()).isEqualTo(4);
  }
}
