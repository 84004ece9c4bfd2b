package io.mxwatch.bench;

import io.mxwatch.check.CheckModules;
import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.ScanResult;
import io.mxwatch.reliability.FleetWorld;
import io.mxwatch.scan.DomainScanner;
import io.mxwatch.scan.DomainSettings;
import io.mxwatch.scan.RetryPolicy;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.smtp.PoliteSmtpProber;
import io.mxwatch.smtp.ProbePolicy;
import io.mxwatch.smtp.StartTlsProber;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scan throughput of the scanner against a fleet on loopback: {@code domains} signed domains with
 * SPF, DMARC and DANE on {@code mxHosts} shared MX hosts, scanned with {@code concurrency} scans at
 * a time, twice. The first pass probes every MX address (TLS posture included); the second finds
 * their results in the scan-window cache, as a fleet whose MX hosts are shared does.
 *
 * <p>Arguments: domains (default 500), MX hosts (20), concurrency (8). Run it with the command in
 * bench/README.md.
 */
public final class ScanBenchmark {
  private ScanBenchmark() {}

  public static void main(String[] args) throws Exception {
    int domains = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int mxHosts = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    java.util.logging.Logger.getLogger("org.xbill.DNS").setLevel(java.util.logging.Level.SEVERE);

    Path directory = Files.createTempDirectory("mxwatch-bench");
    try (FleetWorld world = new FleetWorld(directory, domains, mxHosts)) {
      ProbePolicy politeness = ProbePolicy.defaults().withPauseBetweenConnections(Duration.ZERO);
      ScanOptions options =
          ScanOptions.defaults()
              .withAllowPrivate(true)
              .withSmtpPort(world.smtpPort)
              .withSmtpTimeout(Duration.ofSeconds(5))
              .withProbePolicy(politeness);
      try (DnsService dns = new DnsService(world.dns.dnsSettings(directory));
          DomainScanner scanner =
              new DomainScanner(
                  dns,
                  options,
                  PoliteSmtpProber.wrap(
                      new StartTlsProber(options.smtpTimeout(), "bench.test"), politeness),
                  Clock.systemUTC(),
                  CheckModules.all(),
                  RetryPolicy.none())) {
        System.out.printf(
            Locale.ROOT,
            "%d domains on %d MX hosts, %d scans at a time, %d cores%n",
            domains,
            mxHosts,
            concurrency,
            Runtime.getRuntime().availableProcessors());
        System.out.println(
            "pass  | seconds | scans/s | DNS queries/scan | SMTP connections/scan | heap after GC (MB)");
        run("cold", scanner, world.domains, concurrency);
        run("warm", scanner, world.domains, concurrency);
      }
    }
  }

  private static void run(String pass, DomainScanner scanner, List<String> names, int concurrency)
      throws Exception {
    AtomicLong queries = new AtomicLong();
    AtomicLong connections = new AtomicLong();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> scans = new ArrayList<>();
      for (String name : names) {
        scans.add(
            pool.submit(
                () -> {
                  ScanResult result = scanner.scan(DomainName.parse(name), DomainSettings.none());
                  queries.addAndGet(result.stats().dnsQueries());
                  connections.addAndGet(result.stats().smtpConnections());
                }));
      }
      for (Future<?> scan : scans) {
        scan.get();
      }
    } finally {
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    System.out.printf(
        Locale.ROOT,
        "%-5s | %7.1f | %7.1f | %16.1f | %21.1f | %d%n",
        pass,
        seconds,
        names.size() / seconds,
        queries.get() / (double) names.size(),
        connections.get() / (double) names.size(),
        heap);
  }
}
