package io.mxwatch.service;

import io.mxwatch.check.CheckModules;
import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DnsSettings;
import io.mxwatch.net.HostPort;
import io.mxwatch.scan.DomainScanner;
import io.mxwatch.scan.RetryPolicy;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.smtp.PoliteSmtpProber;
import io.mxwatch.smtp.SmtpProber;
import io.mxwatch.smtp.StartTlsProber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ResolverConfig;

/** Builds the scanner and its parts from {@link MxwatchConfig}. */
@ApplicationScoped
public class ScannerBeans {
  private static final int DNS_PORT = 53;

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  DnsService dnsService(MxwatchConfig config, Clock clock) {
    MxwatchConfig.Dns dns = config.dns();
    List<InetSocketAddress> resolvers =
        dns.resolvers().isPresent()
            ? parseResolvers(dns.resolvers().get())
            : ResolverConfig.getCurrentConfig().servers();
    return new DnsService(
        new DnsSettings(
            resolvers,
            dns.timeout(),
            dns.retries(),
            dns.budget(),
            dns.trustAnchorFile().orElse(null),
            clock,
            dns.nameServerPort()));
  }

  void closeDnsService(@Disposes DnsService service) {
    service.close();
  }

  @Produces
  @Singleton
  ScanOptions scanOptions(MxwatchConfig config) {
    return new ScanOptions(
        config.scan().allowPrivate(),
        config.smtp().port(),
        config.smtp().timeout(),
        config.smtp().heloName().orElse(ScanOptions.defaults().heloName()),
        config.expiry().certificateWarnDays(),
        config.expiry().certificateFailDays(),
        config.expiry().signatureWarnDays(),
        config.scan().probesPerScan(),
        config.smtp().policy());
  }

  /** The SMTP prober behind the process-wide politeness limits and scan-window cache. */
  @Produces
  @Singleton
  SmtpProber smtpProber(ScanOptions options) {
    return PoliteSmtpProber.wrap(
        new StartTlsProber(options.smtpTimeout(), options.heloName()), options.probePolicy());
  }

  @Produces
  @Singleton
  DomainScanner domainScanner(
      DnsService dns, ScanOptions options, SmtpProber prober, Clock clock, MxwatchConfig config) {
    RetryPolicy retries = new RetryPolicy(config.scan().retries(), config.scan().retryBackoff());
    return new DomainScanner(dns, options, prober, clock, CheckModules.all(), retries);
  }

  void closeDomainScanner(@Disposes DomainScanner scanner) {
    scanner.close();
  }

  /** The scan function the dispatcher calls; a bean of its own so tests can replace it. */
  @Produces
  @ApplicationScoped
  Scanner scanner(DomainScanner scanner) {
    return scanner::scan;
  }

  /**
   * Parses {@code host}, {@code host:port}, {@code ipv6} and {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException naming the entry that is invalid
   */
  static List<InetSocketAddress> parseResolvers(List<String> entries) {
    List<InetSocketAddress> resolvers = new ArrayList<>();
    for (String entry : entries) {
      resolvers.add(parseResolver(entry.strip()));
    }
    return resolvers;
  }

  private static InetSocketAddress parseResolver(String entry) {
    try {
      return HostPort.parse(entry, DNS_PORT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid DNS resolver '" + entry + "': " + e.getMessage(), e);
    }
  }
}
