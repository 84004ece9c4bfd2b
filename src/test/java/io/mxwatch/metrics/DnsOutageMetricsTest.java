package io.mxwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.CertificateInfo;
import io.mxwatch.model.Finding;
import io.mxwatch.model.MxHost;
import io.mxwatch.model.Observation;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.ScanStats;
import io.mxwatch.model.Status;
import io.mxwatch.scan.Scorer;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.ScanStore;
import io.mxwatch.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A scan whose DNS lookups failed does not learn the MX hosts, so its MX-level checks end in one
 * {@code error} on the domain name, or in no finding at all. The metrics, the API and the scorecard
 * must then keep the last conclusive results of the hosts and addresses the earlier scans had.
 */
@QuarkusTest
class DnsOutageMetricsTest {
  private static final String IP1 = "192.0.2.25";
  private static final String IP2 = "192.0.2.26";

  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject EntityManager entityManager;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @Test
  void mxLookupFailure_keepsLastConclusiveValuesOfEveryMxAddress() {
    String domain = newDomain("dnsdown");
    String mx1 = "mx1." + domain;
    String mx2 = "mx2." + domain;
    Instant good = now.minusSeconds(600);
    ScanResult conclusive = conclusive(domain, good, List.of(mx1, mx2));
    scans.save(conclusive);
    Integer scoreBefore = scans.latest(domain).orElseThrow().result().score().overall();

    scans.save(dnsDown(domain, now.minusSeconds(300)));

    assertKeptLastConclusive(domain, mx1, mx2, good);
    // An error never lowers the score and never records a change.
    assertThat(scans.latest(domain).orElseThrow().result().score().overall())
        .isEqualTo(scoreBefore);
    assertThat(scans.events(domain, 100)).isEmpty();

    // A second outage in a row still goes back to the last scan that knew the MX hosts.
    scans.save(dnsDown(domain, now));
    assertKeptLastConclusive(domain, mx1, mx2, good);
    assertThat(scans.latest(domain).orElseThrow().result().score().overall())
        .isEqualTo(scoreBefore);

    JsonPath api =
        given().when().get("/api/domains/" + domain).then().statusCode(200).extract().jsonPath();
    Map<String, Object> starttls = finding(api, "tls.starttls");
    assertThat(starttls).containsEntry("status", "error").containsEntry("target", domain);
    @SuppressWarnings("unchecked")
    Map<String, Object> last = (Map<String, Object>) starttls.get("lastConclusive");
    assertThat(last)
        .containsEntry("status", "warn")
        .containsEntry("target", mx2 + "/" + IP2)
        .containsEntry("summary", "tls.starttls is warn")
        .containsEntry("scannedAt", good.toString());
    assertThat((List<?>) last.get("targets")).hasSize(2);
    assertThat(finding(api, "auth.spf").get("lastConclusive"))
        .isEqualTo(
            Map.of("status", "pass", "summary", "auth.spf is pass", "scannedAt", good.toString()));
    // cert.expiry has no finding in the failed scan; its last results come under "carried".
    List<Map<String, Object>> carried = api.getList("carried");
    assertThat(carried)
        .filteredOn(c -> "cert.expiry".equals(c.get("check")))
        .extracting(c -> c.get("target"))
        .containsExactlyInAnyOrder(mx1 + "/" + IP1, mx2 + "/" + IP2);
    assertThat(carried).noneMatch(c -> "tls.starttls".equals(c.get("check")));

    String page =
        given().when().get("/domains/" + domain).then().statusCode(200).extract().asString();
    assertThat(page)
        .contains("The mail servers are unknown in this scan. Last conclusive results:")
        .contains(mx1 + "/" + IP1)
        .contains(mx2 + "/" + IP2)
        .contains("tls.starttls is warn")
        .contains("not checked in this scan: the mail servers are unknown")
        .contains("cert.expiry is pass");

    // DNS is back and nothing changed: no regression, no improvement.
    scans.save(conclusive(domain, now.plusSeconds(60), List.of(mx1, mx2)));
    assertThat(scans.events(domain, 100)).isEmpty();
    String text = metrics();
    assertThat(value(text, "mxwatch_check_inconclusive", domain, "check", "tls.starttls"))
        .contains(0.0);
    assertThat(
            value(
                text,
                "mxwatch_check_last_conclusive_timestamp_seconds",
                domain,
                "check",
                "tls.starttls"))
        .contains((double) now.plusSeconds(60).getEpochSecond());
  }

  @Test
  void mxHostRemovedInConclusiveScan_dropsItsSeries_alsoWhileDnsIsDown() {
    String domain = newDomain("mxgone");
    String mx1 = "mx1." + domain;
    String mx2 = "mx2." + domain;
    scans.save(conclusive(domain, now.minusSeconds(600), List.of(mx1, mx2)));
    Instant oneHost = now.minusSeconds(300);
    scans.save(conclusive(domain, oneHost, List.of(mx1)));

    String text = metrics();
    assertThat(certificate(text, domain, mx1, IP1)).isPresent();
    assertThat(certificate(text, domain, mx2, IP2)).isEmpty();
    assertThat(value(text, "mxwatch_dane_tlsa_match", domain, "mx", mx2, "ip", IP2)).isEmpty();
    assertThat(status(text, domain, "tls.starttls", "warn")).isEmpty();
    assertThat(status(text, domain, "tls.starttls", "pass")).contains(1.0);

    scans.save(dnsDown(domain, now));

    text = metrics();
    assertThat(certificate(text, domain, mx1, IP1)).isPresent();
    assertThat(value(text, "mxwatch_dane_tlsa_match", domain, "mx", mx1, "ip", IP1)).contains(1.0);
    assertThat(certificate(text, domain, mx2, IP2)).isEmpty();
    assertThat(value(text, "mxwatch_dane_tlsa_match", domain, "mx", mx2, "ip", IP2)).isEmpty();
    assertThat(status(text, domain, "tls.starttls", "pass")).contains(1.0);
    assertThat(status(text, domain, "tls.starttls", "warn")).isEmpty();
    assertThat(status(text, domain, "dane.valid", "pass")).contains(1.0);
    assertThat(
            value(
                text,
                "mxwatch_check_last_conclusive_timestamp_seconds",
                domain,
                "check",
                "tls.starttls"))
        .contains((double) oneHost.getEpochSecond());
  }

  @Test
  void mxHostAddressLookupFailure_keepsThatHostsAddresses() {
    String domain = newDomain("addrdown");
    String mx1 = "mx1." + domain;
    String mx2 = "mx2." + domain;
    Instant good = now.minusSeconds(600);
    scans.save(conclusive(domain, good, List.of(mx1, mx2)));

    // mx2's A and AAAA lookups time out: mx.targets is an error on mx2, which has no address.
    ScanResult partial = conclusive(domain, now, List.of(mx1));
    List<Finding> findings = new ArrayList<>(partial.findings());
    findings.add(Fixtures.finding("mx.targets", Status.ERROR, mx2));
    scans.save(
        new ScanResult(
            domain,
            domain,
            now,
            Duration.ofSeconds(3),
            Scorer.score(findings),
            List.of(new MxHost(mx1, 10, List.of(IP1)), new MxHost(mx2, 20, List.of())),
            findings,
            partial.observations(),
            new ScanStats(30, 300, 1, 0)));

    String text = metrics();
    assertThat(certificate(text, domain, mx1, IP1)).isPresent();
    assertThat(certificate(text, domain, mx2, IP2)).isPresent();
    assertThat(value(text, "mxwatch_dane_tlsa_match", domain, "mx", mx2, "ip", IP2)).contains(0.0);
    assertThat(status(text, domain, "tls.starttls", "warn")).contains(1.0);
    assertThat(value(text, "mxwatch_check_inconclusive", domain, "check", "tls.starttls"))
        .contains(1.0);
    assertThat(
            value(
                text,
                "mxwatch_check_last_conclusive_timestamp_seconds",
                domain,
                "check",
                "tls.starttls"))
        .contains((double) good.getEpochSecond());
  }

  private void assertKeptLastConclusive(String domain, String mx1, String mx2, Instant good) {
    String text = metrics();
    assertThat(status(text, domain, "tls.starttls", "error")).isEmpty();
    assertThat(status(text, domain, "tls.starttls", "warn")).contains(1.0);
    assertThat(value(text, "mxwatch_check_inconclusive", domain, "check", "tls.starttls"))
        .contains(1.0);
    assertThat(
            value(
                text,
                "mxwatch_check_last_conclusive_timestamp_seconds",
                domain,
                "check",
                "tls.starttls"))
        .contains((double) good.getEpochSecond());
    // Checks the failed scan did not report at all keep their last conclusive status too.
    assertThat(status(text, domain, "cert.expiry", "pass")).contains(1.0);
    assertThat(value(text, "mxwatch_check_inconclusive", domain, "check", "cert.expiry"))
        .contains(1.0);
    assertThat(status(text, domain, "dane.valid", "fail")).contains(1.0);
    assertThat(status(text, domain, "dnssec.mx_zone", "pass")).contains(1.0);
    assertThat(status(text, domain, "auth.spf", "pass")).contains(1.0);
    assertThat(status(text, domain, "mx.present", "pass")).contains(1.0);

    assertThat(certificate(text, domain, mx1, IP1)).contains((double) notAfter(good, 1));
    assertThat(certificate(text, domain, mx2, IP2)).contains((double) notAfter(good, 2));
    assertThat(value(text, "mxwatch_dane_tlsa_match", domain, "mx", mx1, "ip", IP1)).contains(1.0);
    // The mismatch on mx2 keeps the DaneTlsaMismatch alert firing through the outage.
    assertThat(value(text, "mxwatch_dane_tlsa_match", domain, "mx", mx2, "ip", IP2)).contains(0.0);
  }

  /**
   * A conclusive scan of the given MX hosts (mx1 at {@link #IP1}, mx2 at {@link #IP2}): STARTTLS
   * passes on mx1 and warns on mx2, and only mx1's certificate matches its TLSA records.
   */
  private static ScanResult conclusive(String domain, Instant at, List<String> hosts) {
    List<Finding> findings = new ArrayList<>();
    findings.add(Fixtures.finding("mx.present", Status.PASS, domain));
    findings.add(Fixtures.finding("auth.spf", Status.PASS, domain));
    List<MxHost> mxHosts = new ArrayList<>();
    List<Observation> observations = new ArrayList<>();
    for (String host : hosts) {
      boolean first = host.startsWith("mx1.");
      String ip = first ? IP1 : IP2;
      String address = host + "/" + ip;
      mxHosts.add(new MxHost(host, first ? 10 : 20, List.of(ip)));
      findings.add(Fixtures.finding("mx.targets", Status.PASS, host));
      findings.add(Fixtures.finding("dnssec.mx_zone", Status.PASS, host));
      findings.add(Fixtures.finding("dane.exists", Status.PASS, host));
      findings.add(Fixtures.finding("smtp.reachable", Status.PASS, address));
      findings.add(Fixtures.finding("tls.starttls", first ? Status.PASS : Status.WARN, address));
      findings.add(Fixtures.finding("cert.expiry", Status.PASS, address));
      findings.add(Fixtures.finding("dane.valid", first ? Status.PASS : Status.FAIL, address));
      observations.add(
          new Observation(
              host,
              ip,
              "TLSv1.3",
              List.of(
                  new CertificateInfo(
                      0,
                      "CN=" + host,
                      "CN=Test CA",
                      "aa".repeat(32),
                      "bb".repeat(32),
                      at.minus(30, ChronoUnit.DAYS),
                      Instant.ofEpochSecond(notAfter(at, first ? 1 : 2)),
                      "EC secp256r1",
                      "SHA256withECDSA")),
              List.of("3 1 1 " + "bb".repeat(32)),
              first));
    }
    return new ScanResult(
        domain,
        domain,
        at,
        Duration.ofSeconds(3),
        Scorer.score(findings),
        mxHosts,
        findings,
        observations,
        new ScanStats(30, 300, hosts.size(), 0));
  }

  /** A scan while the resolver is down: the MX-level checks name the domain, nothing observed. */
  private static ScanResult dnsDown(String domain, Instant at) {
    List<Finding> findings = new ArrayList<>();
    for (String check :
        List.of(
            "mx.present",
            "auth.spf",
            "dnssec.mx_zone",
            "smtp.reachable",
            "tls.starttls",
            "ipv6.mx_reach",
            "ipv6.mx_aaaa",
            "dane.exists",
            "dane.valid",
            "dane.advice")) {
      findings.add(
          new Finding(
              check,
              Status.ERROR,
              domain,
              "the mail servers are unknown because the MX lookup failed: timeout",
              Map.of("outcome", "TIMEOUT"),
              null));
    }
    return new ScanResult(
        domain,
        domain,
        at,
        Duration.ofSeconds(10),
        Scorer.score(findings),
        List.of(),
        findings,
        List.of(),
        new ScanStats(10, 10_000, 0, 2));
  }

  private static long notAfter(Instant scannedAt, int host) {
    return scannedAt
        .truncatedTo(ChronoUnit.DAYS)
        .plus(60L + host, ChronoUnit.DAYS)
        .getEpochSecond();
  }

  private String newDomain(String prefix) {
    return Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName(prefix)).name();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> finding(JsonPath api, String check) {
    List<Map<String, Object>> findings = api.getList("findings");
    return findings.stream().filter(f -> check.equals(f.get("check"))).findFirst().orElseThrow();
  }

  private static String metrics() {
    return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  private static Optional<Double> status(String text, String domain, String check, String status) {
    return value(text, "mxwatch_check_status", domain, "check", check, "status", status);
  }

  private static Optional<Double> certificate(String text, String domain, String mx, String ip) {
    return value(
        text, "mxwatch_certificate_not_after_seconds", domain, "depth", "0", "ip", ip, "mx", mx);
  }

  /**
   * The value of the one series of {@code name} whose labels are {@code domain} and the other
   * labels, given as name, value pairs.
   */
  private static Optional<Double> value(String text, String name, String domain, String... labels) {
    java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
    sorted.put("domain", domain);
    for (int i = 0; i < labels.length; i += 2) {
      sorted.put(labels[i], labels[i + 1]);
    }
    List<String> pairs = new ArrayList<>();
    sorted.forEach((label, v) -> pairs.add(label + "=\"" + v + "\""));
    Matcher matcher =
        Pattern.compile(
                "(?m)^" + Pattern.quote(name + "{" + String.join(",", pairs) + "}") + " (\\S+)$")
            .matcher(text);
    return matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
  }
}
