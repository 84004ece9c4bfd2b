package io.mxwatch.scan;

import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxResolver;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.net.AddressPolicy;
import io.mxwatch.net.Addresses;
import io.mxwatch.smtp.SmtpEvidence;
import io.mxwatch.smtp.SmtpProber;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.xbill.DNS.Name;

/**
 * The evidence of one scan of one domain. Probes run at most once per scan: the first caller
 * triggers them and later callers get the same result.
 */
public final class ScanContext {
  private final Name domain;
  private final String unicodeDomain;
  private final Dns dns;
  private final ScanOptions options;
  private final DomainSettings domainSettings;
  private final Clock clock;
  private final SmtpProber smtpProber;
  private final AddressPolicy addressPolicy;
  private final ExecutorService executor;
  private final Semaphore probeSlots;
  private final Map<String, CompletableFuture<SmtpEvidence>> smtp = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Object>> evidence = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger transientFailures =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger extraConnections =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile MxResolution mx;

  public ScanContext(
      Name domain,
      String unicodeDomain,
      Dns dns,
      ScanOptions options,
      DomainSettings domainSettings,
      Clock clock,
      SmtpProber smtpProber,
      ExecutorService executor) {
    this.domain = domain;
    this.unicodeDomain = unicodeDomain;
    this.dns = countingTransientFailures(dns);
    this.options = options;
    this.domainSettings = domainSettings;
    this.clock = clock;
    this.smtpProber = smtpProber;
    this.addressPolicy = new AddressPolicy(options.allowPrivate());
    this.executor = executor;
    this.probeSlots = new Semaphore(options.maxConcurrentProbes());
  }

  private Dns countingTransientFailures(Dns delegate) {
    return new Dns() {
      @Override
      public DnsAnswer query(Name name, int type) {
        return counted(delegate.query(name, type));
      }

      @Override
      public DnsAnswer queryServer(InetAddress server, Name name, int type) {
        return counted(delegate.queryServer(server, name, type));
      }
    };
  }

  private DnsAnswer counted(DnsAnswer answer) {
    if (answer.inconclusive()) {
      transientFailures.incrementAndGet();
    }
    return answer;
  }

  /**
   * Lookups and probes that failed in a way that may pass on a second try: DNS timeouts and
   * SERVFAIL, SMTP timeouts and 4xx replies. A rejected special-purpose address does not count.
   */
  public int transientFailures() {
    return transientFailures.get();
  }

  /** Records connections that probes other than the SMTP probe opened, such as TLS probes. */
  public void countConnections(int connections) {
    extraConnections.addAndGet(connections);
  }

  /** Connections opened by probes other than the SMTP probe so far. */
  public int extraConnections() {
    return extraConnections.get();
  }

  /** The domain, absolute, in A-label form. */
  public Name domain() {
    return domain;
  }

  /** The domain as users write it in ASCII: A-labels, no trailing dot. */
  public String domainText() {
    return MxResolution.text(domain);
  }

  public String unicodeDomain() {
    return unicodeDomain;
  }

  public Dns dns() {
    return dns;
  }

  public ScanOptions options() {
    return options;
  }

  public DomainSettings domainSettings() {
    return domainSettings;
  }

  public Clock clock() {
    return clock;
  }

  public AddressPolicy addressPolicy() {
    return addressPolicy;
  }

  /** Where mail for the domain goes; resolved on first use. */
  public MxResolution mx() {
    MxResolution resolved = mx;
    if (resolved == null) {
      synchronized (this) {
        if (mx == null) {
          mx = MxResolver.resolve(domain, dns);
        }
        resolved = mx;
      }
    }
    return resolved;
  }

  /**
   * Evidence that a module gathers once per scan under {@code key}, such as the TLS posture of one
   * address. Concurrent callers with the same key wait for the first one's result.
   */
  @SuppressWarnings("unchecked")
  public <T> T evidence(String key, java.util.function.Supplier<T> probe) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> existing = evidence.putIfAbsent(key, mine);
    if (existing != null) {
      return (T) existing.join();
    }
    try {
      T value = probe.get();
      mine.complete(value);
      return value;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** Starts the SMTP probes of every MX address, so that they run in parallel. */
  public void prefetchSmtp() {
    for (MxTarget target : mx().targets()) {
      for (InetAddress address : target.addresses()) {
        smtpFuture(target, address);
      }
    }
  }

  /** The SMTP evidence of one MX address. */
  public SmtpEvidence smtp(MxTarget target, InetAddress address) {
    return smtpFuture(target, address).join();
  }

  private CompletableFuture<SmtpEvidence> smtpFuture(MxTarget target, InetAddress address) {
    String key = target.host() + "/" + Addresses.text(address);
    return smtp.computeIfAbsent(
        key, k -> CompletableFuture.supplyAsync(() -> probe(target, address), executor));
  }

  private SmtpEvidence probe(MxTarget target, InetAddress address) {
    var rejection = addressPolicy.rejectionReason(address);
    if (rejection.isPresent()) {
      return SmtpEvidence.notAllowed(
          target.host(), Addresses.text(address), options.smtpPort(), rejection.get());
    }
    probeSlots.acquireUninterruptibly();
    try {
      SmtpEvidence evidence =
          smtpProber.probe(
              target.host(), address, options.smtpPort(), domainSettings.freshProbes());
      if (evidence.outcome().inconclusive()) {
        transientFailures.incrementAndGet();
      }
      return evidence;
    } finally {
      probeSlots.release();
    }
  }
}
