package io.mxwatch.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PoliteSmtpProberTest {
  static final InetAddress ADDRESS = InetAddress.getLoopbackAddress();

  /** One thread per probe: the common pool may have a single thread on a small machine. */
  static final java.util.concurrent.ExecutorService THREADS =
      java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());

  static SmtpEvidence evidence(SmtpOutcome outcome, String reply) {
    return new SmtpEvidence(
        "mx.test",
        ADDRESS.getHostAddress(),
        25,
        outcome,
        null,
        List.of(),
        null,
        null,
        List.of(),
        reply,
        reply,
        List.of(),
        1);
  }

  /** A prober that replays outcomes in order and counts calls. */
  static final class Replay implements SmtpProber {
    final List<SmtpEvidence> outcomes;
    final AtomicInteger calls = new AtomicInteger();

    Replay(SmtpEvidence... outcomes) {
      this.outcomes = List.of(outcomes);
    }

    @Override
    public SmtpEvidence probe(String host, InetAddress address, int port) {
      int call = calls.getAndIncrement();
      return outcomes.get(Math.min(call, outcomes.size() - 1));
    }
  }

  static PoliteSmtpProber polite(
      SmtpProber delegate, ProbePolicy policy, List<Duration> sleeps, Clock clock) {
    return new PoliteSmtpProber(
        delegate, policy, new AddressGate(), new ScanWindowCache<>(100, clock), sleeps::add);
  }

  @Test
  void probe_retriesTemporaryRejectionWithBackoff() {
    Replay replay =
        new Replay(
            evidence(SmtpOutcome.TEMPORARY_REJECTION, "421 busy"),
            evidence(SmtpOutcome.TEMPORARY_REJECTION, "421 busy"),
            evidence(SmtpOutcome.TLS_ESTABLISHED, null));
    List<Duration> sleeps = new ArrayList<>();
    ProbePolicy policy = ProbePolicy.defaults().withRetries(2, Duration.ofSeconds(10));

    SmtpEvidence result =
        polite(replay, policy, sleeps, Clock.systemUTC()).probe("mx.test", ADDRESS, 25);

    assertThat(result.outcome()).isEqualTo(SmtpOutcome.TLS_ESTABLISHED);
    assertThat(result.connections()).isEqualTo(3);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20));
  }

  @Test
  void probe_reportsAttemptsAfterRetries() {
    Replay replay = new Replay(evidence(SmtpOutcome.TEMPORARY_REJECTION, "421 4.7.0 greylisted"));
    List<Duration> sleeps = new ArrayList<>();
    ProbePolicy policy = ProbePolicy.defaults().withRetries(1, Duration.ofSeconds(5));

    SmtpEvidence result =
        polite(replay, policy, sleeps, Clock.systemUTC()).probe("mx.test", ADDRESS, 25);

    assertThat(result.outcome()).isEqualTo(SmtpOutcome.TEMPORARY_REJECTION);
    assertThat(result.error()).contains("421 4.7.0 greylisted").contains("after 2 attempts");
    assertThat(replay.calls.get()).isEqualTo(2);
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void probe_doesNotRetryPermanentOutcomes() {
    Replay replay = new Replay(evidence(SmtpOutcome.NO_STARTTLS, "250 ok"));
    List<Duration> sleeps = new ArrayList<>();

    polite(replay, ProbePolicy.defaults(), sleeps, Clock.systemUTC()).probe("mx.test", ADDRESS, 25);

    assertThat(replay.calls.get()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void probe_reusesConclusiveResultWithinTheWindow() {
    Replay replay = new Replay(evidence(SmtpOutcome.TLS_ESTABLISHED, null));
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    Clock clock = new MovableClock(now);
    PoliteSmtpProber prober =
        polite(
            replay,
            ProbePolicy.defaults().withScanWindow(Duration.ofHours(1)),
            new ArrayList<>(),
            clock);

    prober.probe("mx.test", ADDRESS, 25);
    now.set(now.get().plus(Duration.ofMinutes(59)));
    prober.probe("mx.test", ADDRESS, 25);
    assertThat(replay.calls.get()).isEqualTo(1);

    now.set(now.get().plus(Duration.ofMinutes(2)));
    prober.probe("mx.test", ADDRESS, 25);
    assertThat(replay.calls.get()).isEqualTo(2);
  }

  @Test
  void probe_freshProbeBypassesWindow() {
    Replay replay = new Replay(evidence(SmtpOutcome.TLS_ESTABLISHED, null));
    PoliteSmtpProber prober =
        polite(
            replay,
            ProbePolicy.defaults().withScanWindow(Duration.ofHours(1)),
            new ArrayList<>(),
            Clock.systemUTC());

    prober.probe("mx.test", ADDRESS, 25);
    SmtpEvidence fresh = prober.probe("mx.test", ADDRESS, 25, true);
    assertThat(replay.calls.get()).isEqualTo(2);
    assertThat(fresh.connections()).isEqualTo(1);

    // The fresh result is the one later scans in the window reuse.
    prober.probe("mx.test", ADDRESS, 25);
    assertThat(replay.calls.get()).isEqualTo(2);
  }

  @Test
  void probe_doesNotReuseInconclusiveResults() {
    Replay replay = new Replay(evidence(SmtpOutcome.TIMEOUT, "no reply"));
    PoliteSmtpProber prober =
        polite(
            replay,
            ProbePolicy.defaults().withRetries(0, Duration.ZERO),
            new ArrayList<>(),
            Clock.systemUTC());

    prober.probe("mx.test", ADDRESS, 25);
    prober.probe("mx.test", ADDRESS, 25);

    assertThat(replay.calls.get()).isEqualTo(2);
  }

  @Test
  void probe_sharedAddressProbedOnceForConcurrentScans() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    SmtpProber slow =
        (host, address, port) -> {
          calls.incrementAndGet();
          sleep(200);
          return evidence(SmtpOutcome.TLS_ESTABLISHED, null);
        };
    PoliteSmtpProber prober =
        polite(slow, ProbePolicy.defaults(), new ArrayList<>(), Clock.systemUTC());

    List<CompletableFuture<SmtpEvidence>> scans = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      scans.add(CompletableFuture.supplyAsync(() -> prober.probe("mx.test", ADDRESS, 25), THREADS));
    }
    scans.forEach(CompletableFuture::join);

    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void probe_limitsConcurrentConnectionsPerAddress() throws Exception {
    AtomicInteger open = new AtomicInteger();
    AtomicInteger maxOpen = new AtomicInteger();
    SmtpProber counting =
        (host, address, port) -> {
          maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
          sleep(50);
          open.decrementAndGet();
          return evidence(SmtpOutcome.TLS_ESTABLISHED, null);
        };
    // Distinct host names, so the cache does not merge the probes; the address is shared.
    PoliteSmtpProber prober =
        new PoliteSmtpProber(
            counting,
            ProbePolicy.defaults()
                .withMaxConnectionsPerAddress(2)
                .withPauseBetweenConnections(Duration.ZERO),
            new AddressGate(),
            new ScanWindowCache<>(100, Clock.systemUTC()),
            d -> {});

    List<CompletableFuture<SmtpEvidence>> scans = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String host = "mx" + i + ".test";
      scans.add(CompletableFuture.supplyAsync(() -> prober.probe(host, ADDRESS, 25), THREADS));
    }
    scans.forEach(CompletableFuture::join);

    assertThat(maxOpen.get()).isEqualTo(2);
  }

  @Test
  void gate_pausesBetweenConnections() throws Exception {
    AddressGate gate = new AddressGate();
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      try (AddressGate.Permit permit = gate.acquire("192.0.2.1", 2, Duration.ofMillis(100))) {
        assertThat(gate.open("192.0.2.1")).isEqualTo(1);
      }
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMillis).isGreaterThanOrEqualTo(200);
    assertThat(gate.open("192.0.2.1")).isZero();
  }

  @Test
  void cache_evictsLeastRecentlyUsed() {
    ScanWindowCache<String> cache = new ScanWindowCache<>(2, Clock.systemUTC());
    AtomicInteger loads = new AtomicInteger();
    Duration window = Duration.ofHours(1);

    cache.get("a", window, v -> true, () -> "A" + loads.incrementAndGet());
    cache.get("b", window, v -> true, () -> "B" + loads.incrementAndGet());
    cache.get("c", window, v -> true, () -> "C" + loads.incrementAndGet());
    String again = cache.get("a", window, v -> true, () -> "A" + loads.incrementAndGet());

    assertThat(cache.size()).isEqualTo(2);
    assertThat(again).isEqualTo("A4");
  }

  @Test
  void realServer_421ThenSuccess() throws Exception {
    // A real SMTP server that answers 421: the decorator retries it and reports the reply.
    try (ScriptedSmtp busy = new ScriptedSmtp("421 4.7.0 mx.test busy", Map.of())) {
      List<Duration> sleeps = new ArrayList<>();
      PoliteSmtpProber prober =
          polite(
              new StartTlsProber(Duration.ofSeconds(5), "scanner.test"),
              ProbePolicy.defaults().withRetries(2, Duration.ofMillis(1)),
              sleeps,
              Clock.systemUTC());

      SmtpEvidence result = prober.probe("mx.test", busy.address(), busy.port());

      assertThat(result.outcome()).isEqualTo(SmtpOutcome.TEMPORARY_REJECTION);
      assertThat(result.reply()).startsWith("421");
      assertThat(result.connections()).isEqualTo(3);
      assertThat(busy.connections.get()).isEqualTo(3);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    MovableClock(AtomicReference<Instant> now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
