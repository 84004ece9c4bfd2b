package io.mxwatch.tls;

import io.mxwatch.dns.DomainName;
import io.mxwatch.scan.DomainSettings;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.smtp.StartTlsProber;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A scan of {@code example.test}, whose one MX is an in-process SMTP front. */
public final class ScanFixture {
  public static final String DOMAIN = "example.test";
  public static final String MX = "mx.example.test";

  private static final ExecutorService EXECUTOR =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());

  private ScanFixture() {}

  /** Options for loopback servers: private addresses allowed, the front's port, no pauses. */
  public static ScanOptions options(SmtpFront front) {
    return ScanOptions.defaults()
        .withAllowPrivate(true)
        .withSmtpPort(front.port())
        .withSmtpTimeout(Duration.ofSeconds(10))
        .withProbePolicy(Probes.fastPolicy());
  }

  public static ScanContext context(SmtpFront front) {
    return context(front, options(front));
  }

  public static ScanContext context(SmtpFront front, ScanOptions options) {
    FakeDns dns = new FakeDns().mx(DOMAIN, MX, front.address());
    DomainName domain = DomainName.parse(DOMAIN);
    return new ScanContext(
        domain.name(),
        domain.unicode(),
        dns,
        options,
        DomainSettings.none(),
        Clock.systemUTC(),
        new StartTlsProber(options.smtpTimeout(), "scanner.test"),
        EXECUTOR);
  }

  /** The target string of the front's findings. */
  public static String target(SmtpFront front) {
    return MX + "/" + front.address().getHostAddress();
  }
}
