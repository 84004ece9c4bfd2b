package io.mxwatch.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.ScanSlot;
import io.mxwatch.store.ScanStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs scans as a service: claims due domains (see {@link DomainClaims}), scans them on a pool of
 * {@code mxwatch.scan.concurrency} workers, stores each result and schedules the next scan.
 *
 * <p>What it guarantees when things fail:
 *
 * <ul>
 *   <li>A scan that throws is recorded as a failed scan and retried later; the other scans go on.
 *   <li>While PostgreSQL is unreachable, finished results wait in a bounded buffer and are written
 *       when it is back; no new domains are claimed until the buffer is empty.
 *   <li>Leases of running scans are renewed, so a long scan is not taken over; a crashed instance's
 *       leases run out and its domains are scanned again for the same slot, which stores at most
 *       one result.
 *   <li>At shutdown running scans get a grace period; scans still running then are abandoned and
 *       their domains handed back.
 * </ul>
 */
@Startup
@ApplicationScoped
public class ScanDispatcher {
  private static final Logger LOG = Logger.getLogger(ScanDispatcher.class);

  @Inject MxwatchConfig config;
  @Inject DomainClaims claims;
  @Inject ScanStore store;
  @Inject DomainStore domains;
  @Inject Scanner scanner;
  @Inject MeterRegistry registry;
  @Inject DatabaseStatus database;

  private final String owner = instanceId();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<Long, DomainClaims.Claim> running = new ConcurrentHashMap<>();
  private ResultBuffer buffer;
  private ExecutorService workers;
  private ExecutorService dispatcher;
  private volatile boolean stopping;
  private volatile Instant nextFlush = Instant.EPOCH;
  private volatile Duration flushBackoff;

  @PostConstruct
  void start() {
    int concurrency = config.scan().concurrency();
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "mxwatch.scan.concurrency must be at least 1: " + concurrency);
    }
    buffer = new ResultBuffer(Math.max(1, config.scan().resultBuffer()));
    flushBackoff = config.scan().bufferRetry();
    workers = Executors.newFixedThreadPool(concurrency, named("mxwatch-scan-"));
    dispatcher = Executors.newSingleThreadExecutor(named("mxwatch-dispatch-"));
    Gauge.builder("mxwatch.scans.in.progress", inFlight, AtomicInteger::get)
        .description("Scans running on this instance")
        .register(registry);
    Gauge.builder("mxwatch.scan.results.buffered", this, d -> d.buffer.size())
        .description("Finished scan results waiting in memory for PostgreSQL")
        .register(registry);
    Gauge.builder("mxwatch.database.up", database, d -> d.outage().isPresent() ? 0 : 1)
        .description("0 while this instance cannot reach PostgreSQL, else 1")
        .register(registry);
  }

  /** This instance's id in domain leases: host, pid and a random part. */
  public String owner() {
    return owner;
  }

  /** Scans currently running on this instance. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Finished results waiting for the database. */
  public int buffered() {
    return buffer.size();
  }

  @Scheduled(
      every = "${mxwatch.scan.poll-interval}",
      delay = 5,
      delayUnit = TimeUnit.SECONDS,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void poll() {
    dispatch();
  }

  @Scheduled(
      every = "${mxwatch.scan.buffer-retry}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void retryBuffered() {
    if (!buffer.isEmpty()) {
      flushWhenDue();
      if (buffer.isEmpty()) {
        requestDispatch();
      }
    }
  }

  @Scheduled(
      every = "${mxwatch.scan.lease-renewal}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void renewLeases() {
    List<Long> leased = new ArrayList<>(running.keySet());
    leased.addAll(buffer.domainIds());
    if (leased.isEmpty()) {
      return;
    }
    try {
      int renewed = claims.renew(owner, leased, config.scan().lease());
      if (renewed < leased.size()) {
        LOG.warnf(
            "%d of %d domain leases could not be renewed", leased.size() - renewed, leased.size());
      }
    } catch (RuntimeException e) {
      noteDatabaseFailure("renewing leases", e);
    }
  }

  /**
   * Makes a domain due now and starts a dispatch; false when the domain is not registered. A scan
   * that is already running is not restarted.
   */
  public boolean scanNow(String asciiName) {
    if (!domains.markDue(asciiName)) {
      return false;
    }
    requestDispatch();
    return true;
  }

  /** Asks for due domains to be claimed soon, without waiting for the next poll. */
  public void requestDispatch() {
    if (stopping) {
      return;
    }
    try {
      dispatcher.execute(this::dispatch);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("dispatch requested during shutdown; ignored");
    }
  }

  /** Claims as many due domains as there are free workers and starts their scans. */
  public synchronized int dispatch() {
    int free = config.scan().concurrency() - inFlight.get();
    if (stopping || free <= 0) {
      return 0;
    }
    // Results that wait for the database go first; no new work while they cannot be written.
    if (!buffer.isEmpty()) {
      flushWhenDue();
      if (!buffer.isEmpty()) {
        return 0;
      }
    }
    List<DomainClaims.Claim> claimed;
    try {
      claimed = claims.claim(owner, free, config.scan().lease());
      database.succeeded();
    } catch (RuntimeException e) {
      noteDatabaseFailure("claiming due domains", e);
      return 0;
    }
    for (DomainClaims.Claim claim : claimed) {
      inFlight.incrementAndGet();
      running.put(claim.id(), claim);
      workers.execute(() -> runScan(claim));
    }
    return claimed.size();
  }

  private void runScan(DomainClaims.Claim claim) {
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    String outcome = "completed";
    try {
      ScanResult result = scanner.scan(DomainName.parse(claim.name()), claim.settings());
      if (Thread.currentThread().isInterrupted()) {
        // Shutdown cut the scan short: its findings may be errors caused by the interruption.
        outcome = "abandoned";
        handBack(claim);
        return;
      }
      logScan(result, Duration.ofNanos(System.nanoTime() - startNanos));
      store(new ResultBuffer.Pending(claim, result, slot(claim, result)));
    } catch (RuntimeException e) {
      outcome = "failed";
      // A failure here is mxwatch's own fault: the scanner turns remote faults into findings.
      LOG.errorf(e, "scan of %s failed", claim.name());
      recordFailure(claim, started, Duration.ofNanos(System.nanoTime() - startNanos), e);
    } finally {
      running.remove(claim.id());
      Timer.builder("mxwatch.scan.duration")
          .description("Wall-clock time of one domain's scan, including storing the result")
          .tag("outcome", outcome)
          .register(registry)
          .record(Duration.ofNanos(System.nanoTime() - startNanos));
      inFlight.decrementAndGet();
      requestDispatch();
    }
  }

  /**
   * Logs one line per finished scan, at INFO when checks ended in error (the domain comes back
   * sooner) and at DEBUG otherwise, so that a fleet of thousands does not flood the log.
   */
  private static void logScan(ScanResult result, Duration took) {
    Map<Status, Long> counts =
        result.findings().stream()
            .collect(Collectors.groupingBy(Finding::status, Collectors.counting()));
    long errors = counts.getOrDefault(Status.ERROR, 0L);
    String line =
        String.format(
            Locale.ROOT,
            "Scanned %s in %d ms: %d fail, %d warn, %d error",
            result.domain(),
            took.toMillis(),
            counts.getOrDefault(Status.FAIL, 0L),
            counts.getOrDefault(Status.WARN, 0L),
            errors);
    if (errors > 0) {
      String inError =
          result.findings().stream()
              .filter(f -> f.status() == Status.ERROR)
              .map(Finding::check)
              .distinct()
              .collect(Collectors.joining(", "));
      LOG.infof("%s (%s)", line, inError);
    } else {
      LOG.debug(line);
    }
  }

  /** The slot of a result: a scan with errors comes back sooner than the normal interval. */
  private ScanSlot slot(DomainClaims.Claim claim, ScanResult result) {
    Duration interval = config.scan().interval();
    boolean inconclusive = result.findings().stream().anyMatch(f -> f.status() == Status.ERROR);
    Duration rescan = inconclusive ? min(config.scan().errorInterval(), interval) : interval;
    return new ScanSlot(claim.dueAt(), rescan, owner);
  }

  private void store(ResultBuffer.Pending pending) {
    try {
      if (store.save(pending.result(), pending.slot()).isEmpty()) {
        LOG.debugf("%s was deleted during its scan; result dropped", pending.claim().name());
      }
      database.succeeded();
    } catch (RuntimeException e) {
      if (!DatabaseStatus.isUnavailable(e)) {
        LOG.errorf(e, "storing the scan of %s failed; it is scanned again", pending.claim().name());
        handBack(pending.claim());
        return;
      }
      noteDatabaseFailure("storing the scan of " + pending.claim().name(), e);
      if (buffer.offer(pending)) {
        LOG.infof(
            "Keeping the scan of %s until PostgreSQL is back (%d waiting)",
            pending.claim().name(), buffer.size());
      } else {
        LOG.warnf(
            "Result buffer full; %s will be scanned again when its lease runs out",
            pending.claim().name());
      }
    }
  }

  /** Writes buffered results unless the back-off after the last failed attempt still runs. */
  private void flushWhenDue() {
    if (!Instant.now().isBefore(nextFlush)) {
      flush();
    }
  }

  /** Writes buffered results, oldest first, until one fails; backs off after a failure. */
  synchronized void flush() {
    while (true) {
      var next = buffer.peek();
      if (next.isEmpty()) {
        flushBackoff = config.scan().bufferRetry();
        return;
      }
      try {
        store.save(next.get().result(), next.get().slot());
        buffer.remove(next.get());
        database.succeeded();
        LOG.infof("Stored the kept scan of %s", next.get().claim().name());
      } catch (RuntimeException e) {
        if (!DatabaseStatus.isUnavailable(e)) {
          LOG.errorf(
              e, "storing the kept scan of %s failed; dropping it", next.get().claim().name());
          buffer.remove(next.get());
          continue;
        }
        noteDatabaseFailure("writing kept results", e);
        nextFlush = Instant.now().plus(flushBackoff);
        flushBackoff = min(flushBackoff.multipliedBy(2), Duration.ofMinutes(1));
        return;
      }
    }
  }

  private void noteDatabaseFailure(String action, RuntimeException e) {
    if (DatabaseStatus.isUnavailable(e)) {
      database.failed(e);
      LOG.debugf("%s failed: database unavailable", action);
    } else {
      LOG.errorf(e, "%s failed", action);
    }
  }

  private void recordFailure(
      DomainClaims.Claim claim, Instant started, Duration duration, RuntimeException cause) {
    Duration retry = min(config.scan().retryAfterFailure(), config.scan().interval());
    try {
      store.saveFailure(claim.name(), started, duration, cause.toString(), retry, owner);
    } catch (RuntimeException e) {
      // The domain is claimed again once its lease runs out, so only this failure record is lost.
      LOG.errorf(e, "recording the failed scan of %s failed too", claim.name());
    }
  }

  /** Gives a claimed domain back unscanned: it stays due and any instance may claim it. */
  private void handBack(DomainClaims.Claim claim) {
    try {
      claims.release(owner, claim.id());
    } catch (RuntimeException e) {
      LOG.debugf("handing back %s failed; its lease runs out on its own: %s", claim.name(), e);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    dispatcher.shutdownNow();
    workers.shutdown();
    try {
      Duration grace = config.scan().shutdownGrace();
      if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warnf(
            "%d scans still running after %s; abandoning them and handing their domains back",
            inFlight.get(), grace);
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!buffer.isEmpty()) {
      flush();
      if (!buffer.isEmpty()) {
        LOG.warnf(
            "%d finished results could not be written before shutdown; their domains are"
                + " scanned again when their leases run out",
            buffer.size());
      }
    }
    try {
      int released = claims.releaseAll(owner);
      if (released > 0) {
        LOG.infof("Released %d domain leases at shutdown", released);
      }
    } catch (RuntimeException e) {
      LOG.warnf("releasing domain leases at shutdown failed; they expire on their own: %s", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static ThreadFactory named(String prefix) {
    return Thread.ofPlatform().name(prefix, 0).daemon(true).factory();
  }

  private static String instanceId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "mxwatch");
    return host
        + "/"
        + ManagementFactory.getRuntimeMXBean().getPid()
        + "/"
        + UUID.randomUUID().toString().substring(0, 8);
  }
}
