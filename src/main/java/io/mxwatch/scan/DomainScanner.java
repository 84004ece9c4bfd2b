package io.mxwatch.scan;

import io.mxwatch.check.CheckModule;
import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DnsSession;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.MxHost;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.ScanStats;
import io.mxwatch.model.Score;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.smtp.SmtpProber;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Scans one domain end to end: resolves where its mail goes, probes every MX address, runs every
 * check module and scores the findings. Plain Java, so the command line runs it without the service
 * around it.
 */
public final class DomainScanner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DomainScanner.class);

  private final DnsService dnsService;
  private final ScanOptions options;
  private final SmtpProber smtpProber;
  private final Clock clock;
  private final List<CheckModule> modules;
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("probe-", 0).factory());

  public DomainScanner(
      DnsService dnsService,
      ScanOptions options,
      SmtpProber smtpProber,
      Clock clock,
      List<CheckModule> modules) {
    this.dnsService = dnsService;
    this.options = options;
    this.smtpProber = smtpProber;
    this.clock = clock;
    this.modules = List.copyOf(modules);
  }

  public ScanOptions options() {
    return options;
  }

  /** Scans a domain; never throws for faults of the domain's DNS or mail servers. */
  public ScanResult scan(DomainName domain, DomainSettings settings) {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    DnsSession dns = dnsService.newSession();
    ScanContext context =
        new ScanContext(
            domain.name(), domain.unicode(), dns, options, settings, clock, smtpProber, executor);
    context.prefetchSmtp();

    List<Finding> findings = new ArrayList<>();
    for (CheckModule module : modules) {
      findings.addAll(runModule(module, context));
    }
    findings.sort(FINDING_ORDER);

    List<MxHost> hosts =
        context.mx().targets().stream()
            .map(
                t ->
                    new MxHost(
                        t.host(),
                        t.preference(),
                        t.addresses().stream().map(InetAddress::getHostAddress).toList()))
            .toList();
    int connections = connections(context);
    Score score = Scorer.score(findings);
    return new ScanResult(
        domain.ascii(),
        domain.unicode(),
        started,
        Duration.ofNanos(System.nanoTime() - startNanos),
        score,
        hosts,
        findings,
        Observations.collect(context),
        new ScanStats(dns.queriesSent(), dns.timeSpent().toMillis(), connections));
  }

  private static int connections(ScanContext context) {
    int total = 0;
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
                "internal error in mxwatch: " + e,
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
