package io.mxwatch.testworld;

import io.mxwatch.scan.Observations;
import io.mxwatch.testworld.CertFactory.Issued;
import io.mxwatch.testworld.CertFactory.KeyType;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios every surface is tested on: one zone per scenario under {@code test.}, each with
 * its own SMTP server on its own 127.0.0.x address, all on one port.
 *
 * <ul>
 *   <li>{@code hardened.test}: DNSSEC, a matching {@code 3 1 1} TLSA record, DMARC reject, SPF
 *       {@code -all}, TLS 1.2 and 1.3, IPv4 and IPv6
 *   <li>{@code rollover.test}: the TLSA record still names the key used before a key change
 *   <li>{@code bogus.test}: expired signatures
 *   <li>{@code unsigned.test}: no DNSSEC, otherwise fine
 *   <li>{@code nostarttls.test}: the MX does not offer STARTTLS
 *   <li>{@code expiring.test}: the MX certificate expires in 5 days
 *   <li>{@code dmarcnone.test}: DMARC {@code p=none}
 *   <li>{@code nullmx.test}: a null MX
 * </ul>
 */
public final class ScenarioWorld implements AutoCloseable {
  private static final String REJECT = "v=DMARC1; p=reject";

  public final DnsWorld dns;
  public final int smtpPort;
  public final Path trustAnchor;
  public final Issued rootCa;
  public final Issued intermediateCa;
  private final List<SmtpTestServer> servers = new ArrayList<>();

  private ScenarioWorld(Path directory) {
    dns = new DnsWorld().start();
    trustAnchor = dns.writeTrustAnchor(directory);
    smtpPort = SmtpTestServer.freePort();
    rootCa = CertFactory.ca("mxwatch test root", KeyType.EC_P256);
    intermediateCa = CertFactory.intermediate("mxwatch test intermediate", KeyType.EC_P256, rootCa);

    hardened();
    rollover();
    simple("bogus.test.", "127.0.0.12", REJECT, true).fault(DnssecFault.EXPIRED_SIGNATURES);
    simple("unsigned.test.", "127.0.0.13", REJECT, true).unsigned();
    simple("nostarttls.test.", "127.0.0.14", REJECT, false);
    servers.add(
        SmtpTestServer.on("127.0.0.14", smtpPort)
            .hostName("mx.nostarttls.test")
            .noStarttls()
            .start());
    expiring();
    simple(
        "dmarcnone.test.",
        "127.0.0.16",
        "v=DMARC1; p=none; rua=mailto:reports@dmarcnone.test",
        true);
    dns.zone("nullmx.test.")
        .add("@ MX 0 .\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject\"");
  }

  /** Starts every scenario; files such as the trust anchor go to {@code directory}. */
  public static ScenarioWorld start(Path directory) {
    return new ScenarioWorld(directory);
  }

  /** The resolver to pass to {@code --resolver}. */
  public String resolver() {
    return "127.0.0.1:" + dns.address().getPort();
  }

  private void hardened() {
    Zone zone = dns.zone("hardened.test.");
    KeyPair key = CertFactory.keyPair(KeyType.EC_P256);
    Issued leaf = leaf("mx.hardened.test", key, Duration.ofDays(90));
    zone.add(
        """
        @ MX 10 mx
        mx A 127.0.0.10
        mx AAAA ::1
        @ TXT "v=spf1 mx -all"
        _dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@hardened.test"
        _25._tcp.mx TLSA 3 1 1 %s
        """
            .formatted(spki(leaf)));
    startServer("127.0.0.10", "mx.hardened.test", leaf, false);
    startServer("::1", "mx.hardened.test", leaf, false);
  }

  private void rollover() {
    Zone zone = dns.zone("rollover.test.");
    KeyPair oldKey = CertFactory.keyPair(KeyType.EC_P256);
    Issued oldLeaf = leaf("mx.rollover.test", oldKey, Duration.ofDays(90));
    Issued newLeaf =
        leaf("mx.rollover.test", CertFactory.keyPair(KeyType.EC_P256), Duration.ofDays(90));
    zone.add(
        """
        @ MX 10 mx
        mx A 127.0.0.11
        @ TXT "v=spf1 mx -all"
        _dmarc TXT "v=DMARC1; p=reject"
        _25._tcp.mx TLSA 3 1 1 %s
        """
            .formatted(spki(oldLeaf)));
    startServer("127.0.0.11", "mx.rollover.test", newLeaf, false);
  }

  private void expiring() {
    Zone zone = dns.zone("expiring.test.");
    Issued leaf =
        CertFactory.leaf(
            List.of("mx.expiring.test"),
            CertFactory.keyPair(KeyType.EC_P256),
            intermediateCa,
            java.time.Instant.now().minus(Duration.ofDays(85)),
            Duration.ofDays(90));
    zone.add(
        """
        @ MX 10 mx
        mx A 127.0.0.15
        @ TXT "v=spf1 mx -all"
        _dmarc TXT "v=DMARC1; p=reject"
        """);
    startServer("127.0.0.15", "mx.expiring.test", leaf, false);
  }

  /**
   * A plain scenario: MX {@code mx.<zone>} at {@code address}, SPF {@code mx -all}, the given DMARC
   * record, and a working STARTTLS server when {@code starttls} is true.
   */
  private Zone simple(String origin, String address, String dmarc, boolean starttls) {
    Zone zone = dns.zone(origin);
    String host = "mx." + origin.substring(0, origin.length() - 1);
    zone.add(
        "@ MX 10 mx\nmx A " + address + "\n@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"" + dmarc + "\"");
    if (starttls) {
      Issued leaf = leaf(host, CertFactory.keyPair(KeyType.EC_P256), Duration.ofDays(90));
      startServer(address, host, leaf, false);
    }
    return zone;
  }

  private Issued leaf(String host, KeyPair key, Duration validity) {
    return CertFactory.leaf(List.of(host), key, intermediateCa, validity);
  }

  private void startServer(String address, String host, Issued leaf, boolean tls13Only) {
    SmtpTestServer.Builder builder =
        SmtpTestServer.on(address, smtpPort)
            .hostName(host)
            .chain(leaf.keyPair().getPrivate(), leaf.certificate(), intermediateCa.certificate());
    builder.protocols(tls13Only ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"});
    servers.add(builder.start());
  }

  private static String spki(Issued leaf) {
    return Observations.sha256Hex(leaf.certificate().getPublicKey().getEncoded());
  }

  @Override
  public void close() {
    servers.forEach(SmtpTestServer::close);
    dns.close();
  }
}
