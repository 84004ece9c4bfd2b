package io.mxwatch.smtp;

import io.mxwatch.net.Addresses;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Wraps an {@link SmtpProber} with the manners a mail server expects of a scanner: few connections
 * per address across the whole process, a pause between them, retries with back-off after a
 * temporary rejection (421, greylisting, connection limits), and one probe per address and scan
 * window whose conclusive result later scans reuse.
 */
public final class PoliteSmtpProber implements SmtpProber {
  private static final Logger LOG = Logger.getLogger(PoliteSmtpProber.class);

  private final SmtpProber delegate;
  private final ProbePolicy policy;
  private final AddressGate gate;
  private final ScanWindowCache<SmtpEvidence> cache;
  private final Sleeper sleeper;

  /** Waits between retries; tests substitute a recorder. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public PoliteSmtpProber(
      SmtpProber delegate,
      ProbePolicy policy,
      AddressGate gate,
      ScanWindowCache<SmtpEvidence> cache,
      Sleeper sleeper) {
    this.delegate = delegate;
    this.policy = policy;
    this.gate = gate;
    this.cache = cache;
    this.sleeper = sleeper;
  }

  /** A prober with the process-wide gate and its own cache sized by the policy. */
  public static PoliteSmtpProber wrap(SmtpProber delegate, ProbePolicy policy) {
    return new PoliteSmtpProber(
        delegate,
        policy,
        AddressGate.shared(),
        new ScanWindowCache<>(policy.cacheEntries(), Clock.systemUTC()),
        duration -> Thread.sleep(duration.toMillis()));
  }

  @Override
  public SmtpEvidence probe(String host, InetAddress address, int port) {
    return probe(host, address, port, false);
  }

  /** Probes the address, or reuses its result from the scan window unless {@code fresh}. */
  @Override
  public SmtpEvidence probe(String host, InetAddress address, int port, boolean fresh) {
    String key = host + "/" + Addresses.text(address) + ":" + port;
    java.util.concurrent.atomic.AtomicBoolean probedHere =
        new java.util.concurrent.atomic.AtomicBoolean();
    SmtpEvidence evidence =
        cache.get(
            key,
            fresh ? Duration.ZERO : policy.scanWindow(),
            result -> !result.outcome().inconclusive(),
            () -> {
              probedHere.set(true);
              return probeWithRetries(host, address, port);
            });
    // Evidence that another scan gathered cost this caller no connection.
    return probedHere.get() ? evidence : withAttempts(evidence, 1, 0);
  }

  private SmtpEvidence probeWithRetries(String host, InetAddress address, int port) {
    Duration backoff = policy.retryBackoff();
    int connections = 0;
    for (int attempt = 1; ; attempt++) {
      SmtpEvidence evidence;
      try (AddressGate.Permit permit =
          gate.acquire(
              Addresses.text(address),
              policy.maxConnectionsPerAddress(),
              policy.pauseBetweenConnections())) {
        evidence = delegate.probe(host, address, port);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return interrupted(host, address, port, connections);
      }
      connections += evidence.connections();
      boolean temporary = evidence.outcome() == SmtpOutcome.TEMPORARY_REJECTION;
      if (!temporary || attempt > policy.retries()) {
        return withAttempts(evidence, attempt, connections);
      }
      LOG.debugf(
          "%s/%s answered %s; retrying in %s",
          host, Addresses.text(address), evidence.reply(), backoff);
      try {
        sleeper.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return withAttempts(evidence, attempt, connections);
      }
      backoff = backoff.multipliedBy(2);
    }
  }

  private static SmtpEvidence withAttempts(SmtpEvidence evidence, int attempts, int connections) {
    String error = evidence.error();
    if (attempts > 1 && error != null) {
      error = error + " (after " + attempts + " attempts)";
    }
    return new SmtpEvidence(
        evidence.host(),
        evidence.address(),
        evidence.port(),
        evidence.outcome(),
        evidence.greeting(),
        evidence.ehloKeywords(),
        evidence.tlsProtocol(),
        evidence.cipherSuite(),
        evidence.chain(),
        evidence.reply(),
        error,
        evidence.transcript(),
        connections);
  }

  private static SmtpEvidence interrupted(
      String host, InetAddress address, int port, int connections) {
    return new SmtpEvidence(
        host,
        Addresses.text(address),
        port,
        SmtpOutcome.TIMEOUT,
        null,
        List.of(),
        null,
        null,
        List.of(),
        null,
        "probe interrupted while waiting for a connection slot",
        List.of(),
        connections);
  }
}
