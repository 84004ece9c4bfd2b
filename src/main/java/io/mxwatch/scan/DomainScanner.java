package io.mxwatch.scan;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.Findings;
import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DnsSession;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.MxHost;
import io.mxwatch.model.Observation;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.ScanStats;
import io.mxwatch.model.Score;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.net.Addresses;
import io.mxwatch.smtp.SmtpProber;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Scans one domain end to end: resolves where its mail goes, probes every MX address, runs every
 * check module and scores the findings. When a transient failure (a DNS timeout, an SMTP 421)
 * leaves checks in {@code error}, the scan runs again on fresh evidence after a pause; the attempt
 * with the fewest errors is kept, its errors filled from the others. Plain Java, so the command
 * line runs it without the service around it.
 */
public final class DomainScanner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DomainScanner.class);

  private final DnsService dnsService;
  private final ScanOptions options;
  private final SmtpProber smtpProber;
  private final Clock clock;
  private final List<CheckModule> modules;
  private final RetryPolicy retryPolicy;
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("probe-", 0).factory());

  public DomainScanner(
      DnsService dnsService,
      ScanOptions options,
      SmtpProber smtpProber,
      Clock clock,
      List<CheckModule> modules) {
    this(dnsService, options, smtpProber, clock, modules, RetryPolicy.defaults());
  }

  public DomainScanner(
      DnsService dnsService,
      ScanOptions options,
      SmtpProber smtpProber,
      Clock clock,
      List<CheckModule> modules,
      RetryPolicy retryPolicy) {
    this.dnsService = dnsService;
    this.options = options;
    this.smtpProber = smtpProber;
    this.clock = clock;
    this.modules = List.copyOf(modules);
    this.retryPolicy = retryPolicy;
  }

  public ScanOptions options() {
    return options;
  }

  /** One run of every module on fresh evidence. */
  private record Attempt(ScanContext context, DnsSession dns, List<Finding> findings) {}

  /** Scans a domain; never throws for faults of the domain's DNS or mail servers. */
  public ScanResult scan(DomainName domain, DomainSettings settings) {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();

    List<Attempt> attempts = new ArrayList<>();
    attempts.add(attempt(domain, settings));
    int retries = 0;
    // A retry after a spent DNS budget would wait just as long for the same silent servers.
    while (retries < retryPolicy.maxRetries()
        && attempts.getLast().context().transientFailures() > 0
        && errors(attempts.getLast().findings()) > 0
        && !attempts.getLast().dns().budgetUsedUp()) {
      retries++;
      if (!pause(retryPolicy.pauseBefore(retries))) {
        break;
      }
      LOG.debugf("retrying %s after transient failures (retry %d)", domain.ascii(), retries);
      // The first attempt probed afresh; a retry reuses those probes unless they were
      // inconclusive, which the probers never reuse.
      attempts.add(attempt(domain, settings.withFreshProbes(false)));
    }

    int queries = 0;
    long dnsMillis = 0;
    int connections = 0;
    for (Attempt each : attempts) {
      queries += each.dns().queriesSent();
      dnsMillis += each.dns().timeSpent().toMillis();
      connections += connections(each.context());
    }
    Attempt attempt = best(attempts);
    List<Finding> findings = withConclusiveFromOtherAttempts(attempt, attempts);
    findings.sort(FINDING_ORDER);
    ScanContext context = attempt.context();
    List<MxHost> hosts =
        context.mx().targets().stream()
            .map(
                t ->
                    new MxHost(
                        t.host(),
                        t.preference(),
                        t.addresses().stream().map(Addresses::text).toList()))
            .toList();
    List<Observation> observations = Observations.collect(context);
    Score score = Scorer.score(findings);
    return new ScanResult(
        domain.ascii(),
        domain.unicode(),
        started,
        Duration.ofNanos(System.nanoTime() - startNanos),
        score,
        hosts,
        findings,
        observations,
        new ScanStats(queries, dnsMillis, connections, retries));
  }

  private Attempt attempt(DomainName domain, DomainSettings settings) {
    DnsSession dns = dnsService.newSession();
    ScanContext context =
        new ScanContext(
            domain.name(), domain.unicode(), dns, options, settings, clock, smtpProber, executor);
    context.prefetchSmtp();
    List<Finding> findings = new ArrayList<>();
    boolean domainMissing = context.mx().domainMissing();
    for (CheckModule module : modules) {
      findings.addAll(
          domainMissing ? forMissingDomain(module, context) : runModule(module, context));
    }
    return new Attempt(context, dns, findings);
  }

  /**
   * Returns a module's findings for a domain that does not exist or is an alias (CNAME) of a name
   * that does not exist. Only the module that owns {@code mx.present} runs, and only that finding
   * is kept: its fail reports the NXDOMAIN. Every other check is not applicable, because there is
   * no name to publish records at or to look for servers under.
   */
  private List<Finding> forMissingDomain(CheckModule module, ScanContext context) {
    List<Finding> findings = new ArrayList<>();
    if (module.checks().contains(Check.MX_PRESENT)) {
      for (Finding finding : runModule(module, context)) {
        if (finding.check().equals(Check.MX_PRESENT.id())) {
          findings.add(finding);
        }
      }
    }
    String reason =
        context.mx().answer().cnameChain().isEmpty()
            ? "the domain does not exist (NXDOMAIN)"
            : "the domain is an alias (CNAME) of "
                + MxResolution.text(context.mx().answer().canonicalName())
                + ", which does not exist (NXDOMAIN)";
    for (Check check : module.checks()) {
      if (check != Check.MX_PRESENT) {
        findings.add(
            new Finding(
                check.id(),
                Status.NOT_APPLICABLE,
                context.domainText(),
                reason,
                Findings.details(context.mx().answer()),
                null));
      }
    }
    return findings;
  }

  /**
   * The attempt with the fewest errors, the latest of equals. Its findings and evidence stay
   * together: an attempt whose address lookup timed out has no per-address findings at all, so
   * mixing modules of different attempts could drop whole targets.
   */
  private static Attempt best(List<Attempt> attempts) {
    Attempt best = attempts.get(0);
    for (Attempt attempt : attempts) {
      if (errors(attempt.findings()) <= errors(best.findings())) {
        best = attempt;
      }
    }
    return best;
  }

  /**
   * The findings of {@code base}, where each {@code error} is replaced by a conclusive finding of
   * the same check and target from another attempt of this scan, the latest first.
   */
  private static List<Finding> withConclusiveFromOtherAttempts(
      Attempt base, List<Attempt> attempts) {
    Map<String, Finding> conclusive = new LinkedHashMap<>();
    for (Attempt attempt : attempts) {
      for (Finding finding : attempt.findings()) {
        if (finding.status() != Status.ERROR) {
          conclusive.put(finding.check() + " " + finding.target(), finding);
        }
      }
    }
    List<Finding> findings = new ArrayList<>();
    for (Finding finding : base.findings()) {
      Finding replacement =
          finding.status() == Status.ERROR
              ? conclusive.get(finding.check() + " " + finding.target())
              : null;
      findings.add(replacement != null ? replacement : finding);
    }
    return findings;
  }

  private static long errors(List<Finding> findings) {
    return findings.stream().filter(f -> f.status() == Status.ERROR).count();
  }

  /** Waits before a retry; false when the thread was interrupted (shutdown). */
  private static boolean pause(Duration duration) {
    try {
      Thread.sleep(duration);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int connections(ScanContext context) {
    int total = context.extraConnections();
    for (MxTarget target : context.mx().targets()) {
      for (InetAddress address : target.addresses()) {
        total += context.smtp(target, address).connections();
      }
    }
    return total;
  }

  /** A module that throws is a bug in mxwatch: its checks become errors, the rest carry on. */
  private List<Finding> runModule(CheckModule module, ScanContext context) {
    try {
      return module.run(context);
    } catch (RuntimeException e) {
      LOG.errorf(
          e,
          "check module %s failed on %s",
          module.getClass().getSimpleName(),
          context.domainText());
      List<Finding> errors = new ArrayList<>();
      for (Check check : module.checks()) {
        errors.add(
            new Finding(
                check.id(),
                Status.ERROR,
                context.domainText(),
                "internal error in mxwatch, logged with its stack trace: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                Map.of(),
                null));
      }
      return errors;
    }
  }

  /** Findings in catalogue order, then by target. */
  public static final Comparator<Finding> FINDING_ORDER =
      Comparator.<Finding>comparingInt(
              f -> Check.byId(f.check()).map(Enum::ordinal).orElse(Integer.MAX_VALUE))
          .thenComparing(Finding::check)
          .thenComparing(Finding::target);

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
