package io.mxwatch.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.CheckModules;
import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.smtp.PoliteSmtpProber;
import io.mxwatch.smtp.ProbePolicy;
import io.mxwatch.smtp.StartTlsProber;
import io.mxwatch.testworld.CertFactory;
import io.mxwatch.testworld.DnsFault;
import io.mxwatch.testworld.DnsWorld;
import io.mxwatch.testworld.SmtpTestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

class DomainScannerRetryTest {
  @TempDir Path dir;
  DnsWorld world;
  SmtpTestServer server;
  int port;

  @BeforeEach
  void startWorld() {
    world = new DnsWorld().start();
    world.zone("retry.test.").add("@ MX 10 mx\nmx A 127.0.0.40");
    port = SmtpTestServer.freePort();
  }

  @AfterEach
  void stopWorld() {
    if (server != null) {
      server.close();
    }
    world.close();
  }

  DomainScanner scanner(RetryPolicy policy) {
    ScanOptions options =
        ScanOptions.defaults()
            .withAllowPrivate(true)
            .withSmtpPort(port)
            .withSmtpTimeout(Duration.ofSeconds(2));
    DnsService dns = world.dnsService(dir);
    return new DomainScanner(
        dns,
        options,
        new StartTlsProber(options.smtpTimeout(), "scanner.test"),
        Clock.systemUTC(),
        CheckModules.all(),
        policy);
  }

  void startServer(java.util.function.IntFunction<String> greetings) {
    var ca = CertFactory.ca("retry ca", CertFactory.KeyType.EC_P256);
    var leaf =
        CertFactory.leaf(
            List.of("mx.retry.test"),
            CertFactory.keyPair(CertFactory.KeyType.EC_P256),
            ca,
            Duration.ofDays(90));
    server =
        SmtpTestServer.on("127.0.0.40", port)
            .hostName("mx.retry.test")
            .greetings(greetings)
            .chain(leaf.keyPair().getPrivate(), leaf.certificate(), ca.certificate())
            .start();
  }

  @Test
  void scan_retriesAfterSmtp421() {
    startServer(n -> n == 1 ? "421 4.3.2 too busy, try later" : "220 mx.retry.test ESMTP");
    try (DomainScanner scanner = scanner(new RetryPolicy(2, Duration.ofMillis(10)))) {
      ScanResult result = scanner.scan(DomainName.parse("retry.test"), DomainSettings.none());
      assertThat(result.findings(io.mxwatch.model.Check.TLS_STARTTLS))
          .extracting(f -> f.status())
          .containsExactly(Status.PASS);
      assertThat(result.stats().retries()).isEqualTo(1);
    }
  }

  @Test
  void scan_keepsErrorWhenRetriesRunOut() {
    startServer(n -> "421 4.3.2 too busy, try later");
    try (DomainScanner scanner = scanner(new RetryPolicy(2, Duration.ofMillis(10)))) {
      ScanResult result = scanner.scan(DomainName.parse("retry.test"), DomainSettings.none());
      var reachable = result.findings(io.mxwatch.model.Check.SMTP_REACHABLE);
      assertThat(reachable).extracting(f -> f.status()).containsExactly(Status.ERROR);
      assertThat(reachable.get(0).summary()).contains("421 4.3.2 too busy");
      assertThat(result.stats().retries()).isEqualTo(2);
      assertThat(server.connections()).isEqualTo(3);
    }
  }

  /** A scanner whose SMTP probes go through the scan-window cache, as the service's do. */
  DomainScanner cachingScanner(RetryPolicy policy) {
    ScanOptions options =
        ScanOptions.defaults()
            .withAllowPrivate(true)
            .withSmtpPort(port)
            .withSmtpTimeout(Duration.ofSeconds(2));
    ProbePolicy politeness = ProbePolicy.defaults().withPauseBetweenConnections(Duration.ZERO);
    return new DomainScanner(
        world.dnsService(dir),
        options,
        PoliteSmtpProber.wrap(
            new StartTlsProber(options.smtpTimeout(), "scanner.test"), politeness),
        Clock.systemUTC(),
        CheckModules.all(),
        policy);
  }

  @Test
  void scan_freshProbesOnlyOnFirstAttempt() {
    startServer(n -> "220 mx.retry.test ESMTP");
    DomainSettings fresh = DomainSettings.none().withFreshProbes(true);
    int oneAttempt;
    try (DomainScanner scanner = cachingScanner(RetryPolicy.none())) {
      scanner.scan(DomainName.parse("retry.test"), fresh);
      oneAttempt = server.connections();
    }
    // A DMARC lookup that keeps failing makes the scan retry; the MX probes need no retry.
    world.faults(
        q ->
            q.getQuestion().getName().toString().startsWith("_dmarc.")
                ? DnsFault.SERVFAIL
                : DnsFault.NONE);

    try (DomainScanner scanner = cachingScanner(new RetryPolicy(2, Duration.ofMillis(10)))) {
      ScanResult result = scanner.scan(DomainName.parse("retry.test"), fresh);

      assertThat(result.stats().retries()).isEqualTo(2);
      assertThat(server.connections() - oneAttempt).isEqualTo(oneAttempt);
    }
  }

  @Test
  void scan_retriesAfterDnsTimeout() {
    startServer(n -> "220 mx.retry.test ESMTP");
    AtomicInteger mxQueries = new AtomicInteger();
    world.faults(
        q ->
            q.getQuestion().getType() == Type.MX && mxQueries.incrementAndGet() <= 2
                ? DnsFault.DROP
                : DnsFault.NONE);
    try (DomainScanner scanner = scanner(new RetryPolicy(2, Duration.ofMillis(10)))) {
      ScanResult result = scanner.scan(DomainName.parse("retry.test"), DomainSettings.none());
      assertThat(result.findings(io.mxwatch.model.Check.MX_PRESENT))
          .extracting(f -> f.status())
          .containsExactly(Status.PASS);
      assertThat(result.stats().retries()).isEqualTo(1);
    }
  }

  @Test
  void scan_doesNotRetryRejectedAddresses() {
    startServer(n -> "220 mx.retry.test ESMTP");
    ScanOptions strict = ScanOptions.defaults().withSmtpPort(port);
    try (DomainScanner scanner =
        new DomainScanner(
            world.dnsService(dir),
            strict,
            new StartTlsProber(Duration.ofSeconds(2), "scanner.test"),
            Clock.systemUTC(),
            CheckModules.all(),
            new RetryPolicy(2, Duration.ofMillis(10)))) {
      ScanResult result = scanner.scan(DomainName.parse("retry.test"), DomainSettings.none());
      assertThat(result.stats().retries()).isZero();
      assertThat(server.connections()).isZero();
    }
  }
}
