package io.mxwatch.realpeer.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DnsSession;
import io.mxwatch.dns.DnsSettings;
import io.mxwatch.dns.Outcome;
import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.testworld.ScanRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * mxwatch's DNS verdicts against Debian's DNS software: zones signed by ldns-signzone, served by
 * Knot, resolved by Unbound, and judged by {@code unbound-host -v} and {@code drill}. Any
 * disagreement fails the suite; the agreement table goes to standard output for the CI log.
 */
@Tag("real-peer")
class RealDnsPeerTest {
  @TempDir static Path work;
  static DnsPeers peers;
  static Judge judge;
  static DnsService dns;
  static ScanRunner scanner;

  /** One row of the agreement table. */
  record Row(String name, String mxwatch, String judge, boolean agree) {}

  static final List<Row> TABLE = new ArrayList<>();
  static final Map<String, ScanResult> SCANS = new ConcurrentHashMap<>();

  @BeforeAll
  static void startPeers() throws Exception {
    DnsPeers.requireTools();
    peers = DnsPeers.start(work);
    judge = new Judge(peers);
    DnsSettings settings =
        new DnsSettings(
                List.of(peers.resolver()),
                Duration.ofSeconds(3),
                1,
                Duration.ofSeconds(60),
                peers.trustAnchor,
                Clock.systemUTC())
            .withNameServerPort(peers.authoritativePort);
    dns = new DnsService(settings);
    scanner = new ScanRunner(settings, ScanRunner.options(true));
  }

  @AfterAll
  static void stopPeers() {
    printTable();
    if (scanner != null) {
      scanner.close();
    }
    if (dns != null) {
      dns.close();
    }
    if (peers != null) {
      peers.close();
    }
  }

  static synchronized void record(String name, String mxwatch, String judged) {
    TABLE.add(new Row(name, mxwatch, judged, mxwatch.equals(judged)));
  }

  static synchronized void printTable() {
    if (TABLE.isEmpty()) {
      return;
    }
    int nameWidth = Math.max(4, TABLE.stream().mapToInt(r -> r.name().length()).max().orElse(4));
    int mxWidth = Math.max(7, TABLE.stream().mapToInt(r -> r.mxwatch().length()).max().orElse(7));
    int judgeWidth = Math.max(5, TABLE.stream().mapToInt(r -> r.judge().length()).max().orElse(5));
    String format = "%-" + nameWidth + "s | %-" + mxWidth + "s | %-" + judgeWidth + "s | %s%n";
    StringBuilder table = new StringBuilder("\nDNS agreement: mxwatch against Unbound/drill\n");
    table.append(String.format(Locale.ROOT, format, "name", "mxwatch", "judge", "agree"));
    for (Row row : TABLE) {
      table.append(
          String.format(
              Locale.ROOT,
              format,
              row.name(),
              row.mxwatch(),
              row.judge(),
              row.agree() ? "yes" : "NO"));
    }
    long disagreements = TABLE.stream().filter(r -> !r.agree()).count();
    table.append(TABLE.size() + " rows, " + disagreements + " disagreement(s)\n");
    System.out.print(table);
  }

  static String mxwatchVerdict(DnsAnswer answer) {
    if (answer.bogus()) {
      return "bogus";
    }
    String security =
        switch (answer.security()) {
          case SECURE -> "secure";
          case INSECURE -> "insecure";
          default -> "error";
        };
    if (answer.inconclusive()) {
      return security + " FAILED";
    }
    return answer.outcome() == Outcome.ANSWER
        ? security + " ANSWER " + answer.records().size()
        : security + " " + answer.outcome();
  }

  /** The bogus reason as a category that both sides name in their own words. */
  static String reasonOf(DnsAnswer answer) {
    return switch (answer.edeCode()) {
      case ExtendedErrorCodeOption.SIGNATURE_EXPIRED -> "signature expired";
      case ExtendedErrorCodeOption.DNSKEY_MISSING -> "no DNSKEY matches the DS";
      case ExtendedErrorCodeOption.RRSIGS_MISSING -> "signatures missing";
      default -> "other: " + answer.reason();
    };
  }

  static String reasonOf(String unbound) {
    if (unbound.contains("signature expired")) {
      return "signature expired";
    }
    if (unbound.contains("no keys have a DS") || unbound.contains("No DNSKEY record")) {
      return "no DNSKEY matches the DS";
    }
    if (unbound.contains("no signatures")) {
      return "signatures missing";
    }
    return "other: " + unbound;
  }

  static ScanResult scan(String domain) {
    return SCANS.computeIfAbsent(domain, scanner::scan);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          secure.test               | MX   | secure ANSWER 1
          nothing.secure.test       | A    | secure NXDOMAIN
          mx.secure.test            | AAAA | secure NODATA
          _25._tcp.mx.secure.test   | TLSA | secure ANSWER 1
          insecure.test             | MX   | insecure ANSWER 1
          expired.test              | MX   | bogus
          dsmismatch.test           | MX   | bogus
          stripped.test             | MX   | bogus
          nokey.test                | MX   | bogus
          nsec3.test                | MX   | secure ANSWER 1
          nothing.nsec3.test        | A    | secure NXDOMAIN
          mx.nsec3.test             | TXT  | secure NODATA
          nothing.nsec3high.test    | A    | insecure NXDOMAIN
          mx.nsec3high.test         | SOA  | insecure NODATA
          bigtxt.test               | TXT  | secure ANSWER 8
          """)
  void lookup_agreesWithUnbound(String name, String type, String expected) throws Exception {
    DnsSession session = dns.newSession();
    DnsAnswer answer = session.query(Name.fromString(name + "."), Type.value(type));
    Judge.Verdict verdict = judge.unboundHost(name, type);
    String mxwatch = mxwatchVerdict(answer);
    record(name + " " + type, mxwatch, verdict.verdict());

    // The judge must see the case as built, or agreement would prove nothing.
    assertThat(verdict.verdict()).as("unbound-host:\n" + verdict.output()).isEqualTo(expected);
    assertThat(mxwatch).as(answer.describe()).isEqualTo(verdict.verdict());

    String daemon = judge.resolverSecurity(name, type);
    String security = mxwatch.split(" ")[0];
    record(name + " " + type + " (Unbound AD bit)", security, daemon);
    assertThat(security).as("Unbound daemon via drill -D").isEqualTo(daemon);

    if (answer.bogus()) {
      record(name + " bogus reason", reasonOf(answer), reasonOf(verdict.reason()));
      assertThat(reasonOf(answer)).as(answer.reason()).isEqualTo(reasonOf(verdict.reason()));
    }
  }

  @Test
  void tlsa_recordsMatchUnbound() throws Exception {
    DnsAnswer answer =
        dns.newSession().query(Name.fromString("_25._tcp.mx.secure.test."), Type.TLSA);
    List<String> mxwatch =
        answer.records().stream()
            .map(r -> ("has TLSA record " + r.rdataToString()).toUpperCase(Locale.ROOT))
            .toList();
    List<String> judged =
        judge.unboundHost("_25._tcp.mx.secure.test", "TLSA").data().stream()
            .map(s -> s.toUpperCase(Locale.ROOT))
            .toList();
    record(
        "_25._tcp.mx.secure.test TLSA rdata", String.join(",", mxwatch), String.join(",", judged));
    assertThat(mxwatch).isNotEmpty().isEqualTo(judged);
  }

  @Test
  void bigTxt_fallsBackToTcp() throws Exception {
    SimpleResolver udpOnly = new SimpleResolver(peers.resolver());
    udpOnly.setIgnoreTruncation(true);
    udpOnly.setEDNS(0, DnsSettings.EDNS_BUFFER_SIZE, 0, List.of());
    Message udp =
        udpOnly.send(
            Message.newQuery(
                Record.newRecord(
                    Name.fromString("bigtxt.test."), Type.TXT, org.xbill.DNS.DClass.IN)));
    assertThat(udp.getHeader().getFlag(Flags.TC)).as("UDP answer truncated").isTrue();

    DnsAnswer answer = dns.newSession().query(Name.fromString("bigtxt.test."), Type.TXT);
    List<String> mxwatch = answer.records().stream().map(Record::rdataToString).sorted().toList();
    List<String> judged =
        judge.unboundHost("bigtxt.test", "TXT").data().stream()
            .map(s -> s.replaceFirst("^has TXT record ", ""))
            .sorted()
            .toList();
    record(
        "bigtxt.test TXT content (TC over UDP)",
        mxwatch.size() + " records",
        judged.size() + " records");
    assertThat(mxwatch).hasSize(8).isEqualTo(judged);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          secure.test     | pass
          insecure.test   | fail
          expired.test    | fail
          dsmismatch.test | fail
          stripped.test   | fail
          nokey.test      | fail
          nsec3.test      | pass
          """)
  void dnssecDomain_agreesWithUnbound(String domain, String expectedStatus) throws Exception {
    Finding finding = ScanRunner.only(scan(domain), "dnssec.domain");
    String mxwatch = findingVerdict(finding);
    String judged = judge.unboundHost(domain, "SOA").verdict().split(" ")[0];
    record("dnssec.domain " + domain, mxwatch, judged);
    assertThat(finding.status().wireName()).as(finding.summary()).isEqualTo(expectedStatus);
    assertThat(mxwatch).as(finding.summary()).isEqualTo(judged);
  }

  /** The security status a {@code dnssec.*} finding stands for. */
  static String findingVerdict(Finding finding) {
    return switch (finding.status()) {
      case PASS -> "secure";
      case FAIL -> finding.summary().contains("bogus") ? "bogus" : "insecure";
      default -> "error: " + finding.summary();
    };
  }

  @Test
  void signatureExpiry_matchesRrsigFromKnot() throws Exception {
    Finding finding = ScanRunner.only(scan("secure.test"), "dnssec.signature_expiry");
    Instant mxwatch = Instant.parse((String) finding.details().get("earliest"));
    Instant earliest = judge.signatureExpiration("secure.test", "SOA");
    for (String type : List.of("MX", "TXT")) {
      Instant other = judge.signatureExpiration("secure.test", type);
      earliest = other.isBefore(earliest) ? other : earliest;
    }
    record("dnssec.signature_expiry secure.test", mxwatch.toString(), earliest.toString());
    assertThat(finding.status().wireName()).isEqualTo("pass");
    assertThat(mxwatch).isEqualTo(earliest);
  }

  @Test
  void signatureExpiry_failsForExpiredZone() throws Exception {
    Finding finding = ScanRunner.only(scan("expired.test"), "dnssec.signature_expiry");
    Instant judged = judge.signatureExpiration("expired.test", "MX");
    String judgeStatus = judged.isBefore(Instant.now()) ? "fail" : "pass";
    record("dnssec.signature_expiry expired.test", finding.status().wireName(), judgeStatus);
    assertThat(finding.status().wireName()).isEqualTo(judgeStatus);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          secure.test    | pass
          nsec3.test     | warn
          nsec3high.test | warn
          """)
  void algorithms_matchKnot(String zone, String expectedStatus) throws Exception {
    Finding finding = ScanRunner.only(scan(zone), "dnssec.algorithms");
    List<String> algorithms = new ArrayList<>();
    for (String[] fields : judge.authoritative(zone, "DNSKEY")) {
      if (fields[3].equals("DNSKEY")) {
        algorithms.add(fields[6]);
      }
    }
    String iterations = "-";
    for (String[] fields : judge.authoritative(zone, "NSEC3PARAM")) {
      if (fields[3].equals("NSEC3PARAM")) {
        iterations = fields[6];
      }
    }
    Object mxIterations = finding.details().get("nsec3Iterations");
    String mxwatch =
        finding.details().get("dnskeyAlgorithms")
            + " iterations "
            + (mxIterations == null ? "-" : mxIterations);
    String judged =
        algorithms.stream().distinct().map(a -> a + " (ECDSAP256SHA256)").toList()
            + " iterations "
            + iterations;
    record("dnssec.algorithms " + zone, mxwatch, judged);
    assertThat(finding.status().wireName()).as(finding.summary()).isEqualTo(expectedStatus);
    assertThat(mxwatch).isEqualTo(judged);
  }

  @Test
  void ipv6NameServers_agreeWithDrill() throws Exception {
    ScanResult result = scan("v6.test");
    Finding aaaa = ScanRunner.only(result, "ipv6.ns_aaaa");
    int withAaaa = 0;
    for (String host : List.of("ns1.v6.test", "ns2.v6.test")) {
      if (judge.unboundHost(host, "AAAA").verdict().endsWith("ANSWER 1")) {
        withAaaa++;
      }
    }
    record(
        "ipv6.ns_aaaa v6.test", aaaa.summary().split(" have")[0], withAaaa + " of 2 name servers");
    assertThat(aaaa.status().wireName()).isEqualTo("pass");
    assertThat(aaaa.summary()).startsWith(withAaaa + " of 2 name servers");

    String judged = judge.answersOverIpv6("v6.test");
    for (Finding reach : ScanRunner.findings(result, "ipv6.ns_reach")) {
      String mxwatch = reach.status().wireName().equals("pass") ? "answers" : reach.summary();
      record("ipv6.ns_reach " + reach.target(), mxwatch, judged);
      assertThat(mxwatch).isEqualTo(judged);
    }
    assertThat(ScanRunner.findings(result, "ipv6.ns_reach")).hasSize(2);
  }
}
