package io.mxwatch.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.ScanResult;
import io.mxwatch.store.DomainStore;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs scans as a service: claims due domains (see {@link DomainClaims}), scans them on a pool of
 * {@code mxwatch.scan.concurrency} workers, stores each result and schedules the next scan. A scan
 * that fails is recorded as a failed scan and retried later; it never stops the other scans.
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

  private final String owner = instanceId();
  private final AtomicInteger inFlight = new AtomicInteger();
  private ExecutorService workers;
  private ExecutorService dispatcher;
  private volatile boolean stopping;

  @PostConstruct
  void start() {
    int concurrency = config.scan().concurrency();
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "mxwatch.scan.concurrency must be at least 1: " + concurrency);
    }
    workers = Executors.newFixedThreadPool(concurrency, named("mxwatch-scan-"));
    dispatcher = Executors.newSingleThreadExecutor(named("mxwatch-dispatch-"));
    registry.gauge("mxwatch.scans.in.progress", inFlight);
  }

  /** This instance's id in domain leases: host, pid and a random part. */
  public String owner() {
    return owner;
  }

  /** Scans currently running on this instance. */
  public int inFlight() {
    return inFlight.get();
  }

  @Scheduled(
      every = "${mxwatch.scan.poll-interval}",
      delay = 5,
      delayUnit = TimeUnit.SECONDS,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void poll() {
    dispatch();
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
    List<DomainClaims.Claim> claimed;
    try {
      // TODO: renew the leases of running scans; a scan longer than mxwatch.scan.lease can be
      // claimed and run a second time by another instance.
      claimed = claims.claim(owner, free, config.scan().lease());
    } catch (RuntimeException e) {
      LOG.errorf(e, "claiming due domains failed; retrying at the next poll");
      return 0;
    }
    for (DomainClaims.Claim claim : claimed) {
      inFlight.incrementAndGet();
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
      if (store.save(result, config.scan().interval(), owner).isEmpty()) {
        LOG.debugf("%s was deleted during its scan; result dropped", claim.name());
      }
    } catch (RuntimeException e) {
      outcome = "failed";
      // A failure here is mxwatch's own fault: the scanner turns remote faults into findings.
      LOG.errorf(e, "scan of %s failed", claim.name());
      recordFailure(claim, started, Duration.ofNanos(System.nanoTime() - startNanos), e);
    } finally {
      Timer.builder("mxwatch.scan.duration")
          .description("Wall-clock time of one domain's scan, including storing the result")
          .tag("outcome", outcome)
          .register(registry)
          .record(Duration.ofNanos(System.nanoTime() - startNanos));
      inFlight.decrementAndGet();
      requestDispatch();
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

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    dispatcher.shutdownNow();
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warnf("%d scans still running at shutdown", inFlight.get());
      }
      int released = claims.releaseAll(owner);
      if (released > 0) {
        LOG.infof("Released %d domain leases at shutdown", released);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
