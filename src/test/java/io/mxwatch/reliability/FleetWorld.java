package io.mxwatch.reliability;

import io.mxwatch.scan.Observations;
import io.mxwatch.testworld.CertFactory;
import io.mxwatch.testworld.CertFactory.Issued;
import io.mxwatch.testworld.CertFactory.KeyType;
import io.mxwatch.testworld.DnsFault;
import io.mxwatch.testworld.DnsWorld;
import io.mxwatch.testworld.SmtpTestServer;
import io.mxwatch.testworld.Zone;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet of well-run mail domains on loopback for reliability tests: {@code domainCount} signed
 * domains with SPF, DMARC reject and DANE, sharing {@code mxCount} MX hosts, with faults injected
 * on demand: a share of DNS queries dropped and a share of SMTP sessions greeted with 421.
 */
public final class FleetWorld implements AutoCloseable {
  public final DnsWorld dns;
  public final Path trustAnchor;
  public final int smtpPort;
  public final List<String> domains = new ArrayList<>();
  private final List<SmtpTestServer> servers = new ArrayList<>();

  private volatile double dnsDropRate;
  private volatile double smtp421Rate;
  private volatile Duration greetingDelay = Duration.ZERO;
  public final AtomicInteger droppedQueries = new AtomicInteger();
  public final AtomicInteger rejectedSessions = new AtomicInteger();

  public FleetWorld(Path directory, int domainCount, int mxCount) {
    dns = new DnsWorld().start();
    trustAnchor = dns.writeTrustAnchor(directory);
    smtpPort = SmtpTestServer.freePort();
    Issued root = CertFactory.ca("fleet root", KeyType.EC_P256);

    Zone mxZone = dns.zone("fleet-mx.test.");
    for (int i = 0; i < mxCount; i++) {
      String host = "mx" + i + ".fleet-mx.test";
      String address = "127.0.1." + (10 + i);
      Issued leaf =
          CertFactory.leaf(
              List.of(host), CertFactory.keyPair(KeyType.EC_P256), root, Duration.ofDays(200));
      String spki = Observations.sha256Hex(leaf.certificate().getPublicKey().getEncoded());
      mxZone.add(
          "mx%d A %s\n_25._tcp.mx%d TLSA 3 1 1 %s\n_25._tcp.mx%d TLSA 2 1 1 %s"
              .formatted(
                  i,
                  address,
                  i,
                  spki,
                  i,
                  Observations.sha256Hex(root.certificate().getPublicKey().getEncoded())));
      servers.add(
          SmtpTestServer.on(address, smtpPort)
              .hostName(host)
              .greetings(n -> greeting(host))
              .chain(leaf.keyPair().getPrivate(), leaf.certificate(), root.certificate())
              .protocols("TLSv1.3", "TLSv1.2")
              .start());
    }
    for (int d = 0; d < domainCount; d++) {
      String name = String.format(Locale.ROOT, "fleet%03d.test", d);
      int mx = d % mxCount;
      dns.zone(name + ".")
          .add(
              """
              @ MX 10 mx%d.fleet-mx.test.
              @ TXT "v=spf1 mx -all"
              _dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@%s"
              _domainkey TXT "o=-"
              """
                  .formatted(mx, name));
      domains.add(name);
    }
    dns.faults(
        query -> {
          if (dnsDropRate > 0 && ThreadLocalRandom.current().nextDouble() < dnsDropRate) {
            droppedQueries.incrementAndGet();
            return DnsFault.DROP;
          }
          return DnsFault.NONE;
        });
  }

  private String greeting(String host) {
    if (!greetingDelay.isZero()) {
      try {
        Thread.sleep(greetingDelay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (smtp421Rate > 0 && ThreadLocalRandom.current().nextDouble() < smtp421Rate) {
      rejectedSessions.incrementAndGet();
      return "421 4.7.0 " + host + " too many connections, try again later";
    }
    return "220 " + host + " ESMTP fleet";
  }

  /** Drops this share of DNS queries and greets this share of SMTP sessions with 421. */
  public void faults(double dnsDrop, double smtp421) {
    this.dnsDropRate = dnsDrop;
    this.smtp421Rate = smtp421;
  }

  /** Makes every SMTP greeting wait, so that scans take a while. */
  public void greetingDelay(Duration delay) {
    this.greetingDelay = delay;
  }

  public String resolver() {
    return "127.0.0.1:" + dns.address().getPort();
  }

  @Override
  public void close() {
    servers.forEach(SmtpTestServer::close);
    dns.close();
  }
}
