package io.mxwatch.testworld;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.CheckModules;
import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DnsSettings;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.scan.DomainScanner;
import io.mxwatch.scan.DomainSettings;
import io.mxwatch.scan.RetryPolicy;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.smtp.StartTlsProber;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Runs full scans through {@link DomainScanner} against a test DNS world, with every check module,
 * and picks findings out of the result. Scans are not retried, so each result shows the first
 * attempt.
 */
public final class ScanRunner implements AutoCloseable {
  private final DnsService dns;
  private final DomainScanner scanner;

  public ScanRunner(DnsSettings settings, ScanOptions options) {
    this(settings, options, CheckModules.all());
  }

  public ScanRunner(DnsSettings settings, ScanOptions options, List<CheckModule> modules) {
    this.dns = new DnsService(settings);
    this.scanner =
        new DomainScanner(
            dns,
            options,
            new StartTlsProber(Duration.ofSeconds(2), "scanner.test"),
            Clock.systemUTC(),
            modules,
            RetryPolicy.none());
  }

  /** Options for a test: SMTP on a port where nothing listens, special-purpose addresses as set. */
  public static ScanOptions options(boolean allowPrivate) {
    return ScanOptions.defaults()
        .withAllowPrivate(allowPrivate)
        .withSmtpPort(SmtpTestServer.freePort())
        .withSmtpTimeout(Duration.ofSeconds(2));
  }

  public ScanResult scan(String domain) {
    return scanner.scan(DomainName.parse(domain), new DomainSettings(List.of(), List.of()));
  }

  /** The findings of one check, in result order. */
  public static List<Finding> findings(ScanResult result, String check) {
    return result.findings().stream().filter(f -> f.check().equals(check)).toList();
  }

  /** The only finding of one check; fails when there is not exactly one. */
  public static Finding only(ScanResult result, String check) {
    List<Finding> found = findings(result, check);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + check + " finding, got " + found);
    }
    return found.get(0);
  }

  /** The finding of one check for one target. */
  public static Finding of(ScanResult result, String check, String target) {
    return findings(result, check).stream()
        .filter(f -> f.target().equals(target))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + check + " finding for " + target));
  }

  @Override
  public void close() {
    scanner.close();
    dns.close();
  }
}
