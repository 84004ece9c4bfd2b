package io.mxwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.service.ScanDispatcher;
import io.mxwatch.store.DomainRemoved;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.ScanStore;
import io.mxwatch.testsupport.Await;
import io.mxwatch.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class MetricsTest {
  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject ScanDispatcher dispatcher;
  @Inject EntityManager entityManager;
  @Inject FleetMetrics fleetMetrics;

  private static String metrics() {
    return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /**
   * Returns the value of the one series of {@code name} whose labels are exactly {@code labels}.
   */
  private static Optional<Double> value(String text, String name, Map<String, String> labels) {
    StringBuilder selector = new StringBuilder();
    labels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                selector
                    .append(selector.isEmpty() ? "" : ",")
                    .append(e.getKey())
                    .append("=\"")
                    .append(e.getValue())
                    .append('"'));
    Matcher matcher =
        Pattern.compile("(?m)^" + Pattern.quote(name + "{" + selector + "}") + " (\\S+)$")
            .matcher(text);
    return matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
  }

  @Test
  void metrics_exposeLatestScanPerDomain() {
    String domain =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("metrics")).name();
    ScanResult result = Fixtures.richResult(domain, Instant.now());
    scans.save(result);
    String mx = "mx1." + domain;

    String text = metrics();

    Instant leafNotAfter = result.observations().get(0).chain().get(0).notAfter();
    assertThat(
            value(
                text,
                "mxwatch_certificate_not_after_seconds",
                Map.of("domain", domain, "mx", mx, "ip", "192.0.2.25", "depth", "0")))
        .contains((double) leafNotAfter.getEpochSecond());
    assertThat(
            value(
                text,
                "mxwatch_certificate_not_after_seconds",
                Map.of("domain", domain, "mx", mx, "ip", "192.0.2.25", "depth", "1")))
        .isPresent();
    assertThat(
            value(
                text,
                "mxwatch_dane_tlsa_match",
                Map.of("domain", domain, "mx", mx, "ip", "192.0.2.25")))
        .contains(1.0);
    assertThat(
            value(
                text,
                "mxwatch_check_status",
                Map.of("domain", domain, "check", "auth.spf", "status", "fail")))
        .contains(1.0);
    assertThat(
            value(
                text,
                "mxwatch_check_status",
                Map.of("domain", domain, "check", "tls.starttls", "status", "error")))
        .contains(1.0);
    assertThat(value(text, "mxwatch_domain_score", Map.of("domain", domain)))
        .contains((double) result.score().overall());
    assertThat(
            value(
                text,
                "mxwatch_domain_category_score",
                Map.of("domain", domain, "category", "dnssec")))
        .contains(100.0);
    assertThat(value(text, "mxwatch_domain_last_scan_timestamp_seconds", Map.of("domain", domain)))
        .contains((double) result.scannedAt().getEpochSecond());
    assertThat(value(text, "mxwatch_dnssec_bogus", Map.of("domain", domain, "target", domain)))
        .contains(0.0);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void dnssecBogus_anyBogusCheckMarksTarget(boolean bogusFirst) {
    String domain =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("bogusrows")).name();
    Finding bogus =
        new Finding(
            "dnssec.domain",
            Status.FAIL,
            domain,
            "bogus: expired RRSIG",
            Map.of("dnssec", "bogus"),
            null);
    Finding secure =
        new Finding(
            "dnssec.algorithms",
            Status.PASS,
            domain,
            "algorithm 13",
            Map.of("dnssec", "secure"),
            null);
    List<Finding> findings = bogusFirst ? List.of(bogus, secure) : List.of(secure, bogus);
    scans.save(Fixtures.result(domain, Instant.now(), findings));

    String text = metrics();

    String series = "mxwatch_dnssec_bogus{domain=\"" + domain + "\",target=\"" + domain + "\"}";
    assertThat(text.lines().filter(line -> line.startsWith(series + " ")).count()).isEqualTo(1);
    assertThat(value(text, "mxwatch_dnssec_bogus", Map.of("domain", domain, "target", domain)))
        .contains(1.0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mxwatch_database_up",
        "mxwatch_scans_in_progress",
        "mxwatch_scan_results_buffered"
      })
  void serviceGauges_haveHelpText(String name) {
    String text = metrics();

    assertThat(text.lines().filter(line -> line.startsWith("# HELP " + name + " ")))
        .singleElement()
        .satisfies(
            line -> assertThat(line.substring(("# HELP " + name + " ").length())).isNotBlank());
  }

  @Test
  void dnssecBogus_errorKeepsLastConclusiveVerdict() {
    String domain =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("boguskept")).name();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(60),
            List.of(
                new Finding(
                    "dnssec.domain",
                    Status.FAIL,
                    domain,
                    "bogus: expired RRSIG",
                    Map.of("dnssec", "bogus"),
                    null))));
    scans.save(
        Fixtures.result(
            domain,
            now,
            List.of(
                new Finding(
                    "dnssec.domain",
                    Status.ERROR,
                    domain,
                    "lookup timed out",
                    Map.of("dnssec", "indeterminate"),
                    null))));

    String text = metrics();

    assertThat(value(text, "mxwatch_dnssec_bogus", Map.of("domain", domain, "target", domain)))
        .contains(1.0);
  }

  @Test
  void metrics_followLatestScanAndRemoval() {
    String domain =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("metricsmove")).name();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(60),
            List.of(Fixtures.finding("auth.spf", Status.FAIL, domain))));
    scans.save(
        Fixtures.result(
            domain,
            now,
            List.of(
                Fixtures.finding("auth.spf", Status.PASS, domain),
                new Finding(
                    "dnssec.domain",
                    Status.FAIL,
                    domain,
                    "bogus: expired RRSIG",
                    Map.of("dnssec", "BOGUS"),
                    null))));

    String text = metrics();
    assertThat(
            value(
                text,
                "mxwatch_check_status",
                Map.of("domain", domain, "check", "auth.spf", "status", "pass")))
        .contains(1.0);
    assertThat(
            value(
                text,
                "mxwatch_check_status",
                Map.of("domain", domain, "check", "auth.spf", "status", "fail")))
        .isEmpty();
    assertThat(value(text, "mxwatch_dnssec_bogus", Map.of("domain", domain, "target", domain)))
        .contains(1.0);

    domains.remove(domain);

    assertThat(metrics()).doesNotContain("domain=\"" + domain + "\"");
  }

  @Test
  void metrics_timeEachScan() {
    String domain =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("timed")).name();
    dispatcher.scanNow(domain);
    Await.until(
        "the scan of " + domain, Duration.ofSeconds(60), () -> scans.latest(domain).isPresent());

    String text =
        Await.value(
            "the scan timer",
            Duration.ofSeconds(10),
            () -> {
              String current = metrics();
              return value(
                      current,
                      "mxwatch_scan_duration_seconds_count",
                      Map.of("outcome", "completed"))
                  .filter(count -> count >= 1)
                  .map(count -> current);
            });

    assertThat(text).contains("# TYPE mxwatch_scan_duration_seconds summary");
    assertThat(value(text, "mxwatch_scan_duration_seconds_sum", Map.of("outcome", "completed")))
        .hasValueSatisfying(seconds -> assertThat(seconds).isPositive());
    assertThat(text).containsPattern("(?m)^mxwatch_scans_in_progress \\S+$");
  }

  @Test
  void rebuild_restoresSeriesFromDatabase() {
    String domain =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("rebuild")).name();
    scans.save(Fixtures.richResult(domain, Instant.now()));
    fleetMetrics.onDomainRemoved(new DomainRemoved(domain));
    assertThat(value(metrics(), "mxwatch_domain_score", Map.of("domain", domain))).isEmpty();

    fleetMetrics.rebuild();

    assertThat(value(metrics(), "mxwatch_domain_score", Map.of("domain", domain))).isPresent();
  }

  @Test
  void alerts_referenceExportedMetrics() throws java.io.IOException {
    String domain =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("alerts")).name();
    // A pass followed by a fail is a regression, which creates the regression counter.
    scans.save(
        Fixtures.result(
            domain,
            Instant.now().minusSeconds(60),
            List.of(Fixtures.finding("auth.spf", Status.PASS, domain))));
    scans.save(Fixtures.richResult(domain, Instant.now()));
    dispatcher.scanNow(domain);
    Await.until(
        "a timed scan",
        Duration.ofSeconds(60),
        () -> metrics().contains("# TYPE mxwatch_scan_duration_seconds "));
    String exported = metrics();
    String rules =
        java.nio.file.Files.readString(java.nio.file.Path.of("deploy/prometheus/alerts.yml"));

    Matcher names = Pattern.compile("mxwatch_[a-z_]+").matcher(rules);
    int found = 0;
    while (names.find()) {
      found++;
      String base = names.group().replaceFirst("_(count|sum|max|total)$", "");
      assertThat(exported)
          .as("metric %s used by an alert", names.group())
          .contains("# TYPE " + base + " ");
    }
    assertThat(found).isGreaterThanOrEqualTo(5);
  }

  @Test
  void health_reportsDatabase() {
    String health =
        given().when().get("/q/health/ready").then().statusCode(200).extract().asString();
    assertThat(health).contains("\"status\": \"UP\"").contains("Database connections health check");
  }

  @Test
  void errors_keepLastConclusiveValues() {
    String domain =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("blip")).name();
    String target = "mx1." + domain + "/192.0.2.25";
    ScanResult good = Fixtures.richResult(domain, Instant.now().minusSeconds(600));
    List<io.mxwatch.model.Finding> goodFindings = new java.util.ArrayList<>(good.findings());
    goodFindings.add(Fixtures.finding("smtp.reachable", Status.PASS, target));
    goodFindings.replaceAll(
        f ->
            f.check().equals("tls.starttls")
                ? Fixtures.finding("tls.starttls", Status.PASS, target)
                : f);
    scans.save(withFindings(good, goodFindings, good.observations()));

    // The next scan could not reach the address: no chain, errors instead of verdicts.
    ScanResult blip = Fixtures.richResult(domain, Instant.now());
    List<io.mxwatch.model.Finding> blipFindings = new java.util.ArrayList<>();
    blipFindings.add(Fixtures.finding("dnssec.domain", Status.PASS, domain));
    blipFindings.add(Fixtures.finding("smtp.reachable", Status.ERROR, target));
    blipFindings.add(Fixtures.finding("tls.starttls", Status.ERROR, target));
    blipFindings.add(Fixtures.finding("dane.valid", Status.ERROR, target));
    var emptyObservation =
        new io.mxwatch.model.Observation(
            "mx1." + domain, "192.0.2.25", null, List.of(), List.of(), null);
    scans.save(withFindings(blip, blipFindings, List.of(emptyObservation)));

    String text = metrics();
    assertThat(
            value(
                text,
                "mxwatch_check_status",
                Map.of("domain", domain, "check", "tls.starttls", "status", "pass")))
        .contains(1.0);
    assertThat(
            value(
                text,
                "mxwatch_check_inconclusive",
                Map.of("domain", domain, "check", "tls.starttls")))
        .contains(1.0);
    assertThat(
            value(
                text,
                "mxwatch_check_last_conclusive_timestamp_seconds",
                Map.of("domain", domain, "check", "tls.starttls")))
        .hasValueSatisfying(
            seconds ->
                assertThat(seconds).isLessThan(Instant.now().minusSeconds(500).getEpochSecond()));
    assertThat(
            value(
                text,
                "mxwatch_certificate_not_after_seconds",
                Map.of("domain", domain, "mx", "mx1." + domain, "ip", "192.0.2.25", "depth", "0")))
        .isPresent();
    assertThat(
            value(
                text,
                "mxwatch_dane_tlsa_match",
                Map.of("domain", domain, "mx", "mx1." + domain, "ip", "192.0.2.25")))
        .contains(1.0);
  }

  private static ScanResult withFindings(
      ScanResult base,
      List<io.mxwatch.model.Finding> findings,
      List<io.mxwatch.model.Observation> observations) {
    return new ScanResult(
        base.domain(),
        base.unicodeDomain(),
        base.scannedAt(),
        base.duration(),
        io.mxwatch.scan.Scorer.score(findings),
        base.mxHosts(),
        findings,
        observations,
        base.stats());
  }
}
