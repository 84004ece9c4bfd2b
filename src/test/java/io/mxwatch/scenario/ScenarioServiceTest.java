package io.mxwatch.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.service.ScanDispatcher;
import io.mxwatch.store.ScanStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The scenarios through the service with the real database: domains added through the API, scanned
 * by the dispatcher, and read back through the API, the dashboard and the metrics.
 */
@QuarkusTest
@TestProfile(ScenarioServiceTest.Profile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioServiceTest {
  private static final List<String> SCENARIOS =
      List.of(
          "hardened.test",
          "rollover.test",
          "bogus.test",
          "unsigned.test",
          "nostarttls.test",
          "expiring.test",
          "dmarcnone.test",
          "nullmx.test");

  /** A profile of its own, so the scenario world starts with this test's Quarkus instance. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(ScenarioResource.class));
    }
  }

  @Inject ScanDispatcher dispatcher;
  @Inject ScanStore scans;

  private boolean scanned;

  /** Scans every scenario once, before the first test; RestAssured knows the port only here. */
  @BeforeEach
  void scanEveryScenario() throws InterruptedException {
    if (scanned) {
      return;
    }
    scanned = true;
    for (String name : SCENARIOS) {
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("name", name))
          .when()
          .post("/api/domains")
          .then()
          .statusCode(201);
      given()
          .contentType(ContentType.JSON)
          .when()
          .post("/api/domains/" + name + "/scan")
          .then()
          .statusCode(202);
    }
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (SCENARIOS.stream().anyMatch(name -> scans.latest(name).isEmpty())) {
      assertThat(Instant.now()).as("every scenario scanned").isBefore(deadline);
      dispatcher.dispatch();
      Thread.sleep(500);
    }
  }

  private static JsonPath latest(String name) {
    return given().when().get("/api/domains/" + name).then().statusCode(200).extract().jsonPath();
  }

  private static List<String> statuses(JsonPath json, String check) {
    return json.getList("findings.findAll { it.check == '" + check + "' }.status");
  }

  @Test
  void hardened_passesThroughApi() {
    JsonPath json = latest("hardened.test");
    assertThat(statuses(json, "dnssec.domain")).containsExactly("pass");
    assertThat(statuses(json, "dane.valid")).containsOnly("pass");
    assertThat(statuses(json, "tls.starttls")).containsOnly("pass");
    assertThat(statuses(json, "auth.dmarc_policy")).containsExactly("pass");
    assertThat(statuses(json, "auth.spf_policy")).containsExactly("pass");
    assertThat(json.getInt("score")).isPositive();
  }

  @Test
  void rollover_reportsMismatchThroughApiPageAndMetrics() {
    JsonPath json = latest("rollover.test");
    assertThat(statuses(json, "dane.valid")).containsExactly("fail");

    String page =
        given().when().get("/domains/rollover.test").then().statusCode(200).extract().asString();
    assertThat(page).contains("TLSA mismatch");

    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metric(metrics, "mxwatch_dane_tlsa_match", "rollover.test")).contains(0.0);
    assertThat(metric(metrics, "mxwatch_dane_tlsa_match", "hardened.test")).contains(1.0);
  }

  @Test
  void bogus_failsDnssecThroughApi() {
    JsonPath json = latest("bogus.test");
    assertThat(statuses(json, "dnssec.domain")).containsExactly("fail");
    String metrics = given().when().get("/q/metrics").then().extract().asString();
    assertThat(metric(metrics, "mxwatch_dnssec_bogus", "bogus.test")).contains(1.0);
  }

  @Test
  void unsigned_failsDnssecThroughApi() {
    assertThat(statuses(latest("unsigned.test"), "dnssec.domain")).containsExactly("fail");
  }

  @Test
  void noStarttls_failsThroughApi() {
    assertThat(statuses(latest("nostarttls.test"), "tls.starttls")).containsExactly("fail");
  }

  @Test
  void expiring_failsCertificateExpiryWithMetric() {
    JsonPath json = latest("expiring.test");
    assertThat(statuses(json, "cert.expiry")).containsExactly("fail");
    String metrics = given().when().get("/q/metrics").then().extract().asString();
    double notAfter =
        metric(metrics, "mxwatch_certificate_not_after_seconds", "expiring.test", "depth=\"0\"")
            .orElseThrow();
    assertThat(notAfter).isLessThan(Instant.now().plus(Duration.ofDays(6)).getEpochSecond());
  }

  @Test
  void dmarcNone_failsPolicyThroughApi() {
    assertThat(statuses(latest("dmarcnone.test"), "auth.dmarc_policy")).containsExactly("fail");
  }

  @Test
  void nullMx_isInfoAndServerChecksNotApplicable() {
    JsonPath json = latest("nullmx.test");
    assertThat(statuses(json, "mx.present")).containsExactly("info");
    assertThat(statuses(json, "tls.starttls")).containsExactly("not_applicable");
    assertThat(statuses(json, "dane.valid")).containsExactly("not_applicable");
  }

  /**
   * With the resolver silent for the domain, the scan cannot learn the MX host. The TLSA mismatch
   * and the certificate keep their series, so their alerts neither go silent nor fire, and the API
   * shows the last conclusive result of the MX address beside the error on the domain.
   */
  @Test
  void dnsOutage_keepsLastConclusiveMxValues() throws InterruptedException {
    String domain = "rollover.test";
    int events =
        given()
            .when()
            .get("/api/domains/" + domain + "/events")
            .then()
            .extract()
            .jsonPath()
            .getList("$")
            .size();
    org.xbill.DNS.Name zone = org.xbill.DNS.Name.fromConstantString(domain + ".");
    ScenarioResource.world.dns.faults(
        query ->
            query.getQuestion().getName().subdomain(zone)
                ? io.mxwatch.testworld.DnsFault.DROP
                : io.mxwatch.testworld.DnsFault.NONE);
    try {
      rescan(domain);
      JsonPath json = latest(domain);
      assertThat(statuses(json, "mx.present")).containsExactly("error");
      assertThat(json.getString("findings.find { it.check == 'tls.starttls' }.target"))
          .isEqualTo(domain);
      assertThat(
              json.getString("findings.find { it.check == 'tls.starttls' }.lastConclusive.status"))
          .isEqualTo("pass");
      assertThat(
              json.getList("findings.find { it.check == 'tls.starttls' }.lastConclusive.targets"))
          .isNotEmpty();

      String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
      assertThat(metric(metrics, "mxwatch_dane_tlsa_match", domain)).contains(0.0);
      assertThat(metric(metrics, "mxwatch_certificate_not_after_seconds", domain, "depth=\"0\""))
          .isPresent();
      assertThat(
              metric(
                  metrics,
                  "mxwatch_check_status",
                  domain,
                  "check=\"tls.starttls\",status=\"error\""))
          .isEmpty();
      assertThat(metric(metrics, "mxwatch_check_inconclusive", domain, "check=\"tls.starttls\""))
          .contains(1.0);
    } finally {
      ScenarioResource.world.dns.faults(query -> io.mxwatch.testworld.DnsFault.NONE);
      rescan(domain);
    }
    assertThat(statuses(latest(domain), "dane.valid")).containsExactly("fail");
    assertThat(
            given()
                .when()
                .get("/api/domains/" + domain + "/events")
                .then()
                .extract()
                .jsonPath()
                .getList("$"))
        .hasSize(events);
  }

  /** Scans the domain now and waits until a newer result is stored. */
  private void rescan(String domain) throws InterruptedException {
    Instant before = scans.latest(domain).orElseThrow().result().scannedAt();
    dispatcher.scanNow(domain);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (!scans.latest(domain).orElseThrow().result().scannedAt().isAfter(before)) {
      assertThat(Instant.now()).as("a new scan of " + domain).isBefore(deadline);
      dispatcher.dispatch();
      Thread.sleep(200);
    }
  }

  /** The first value of {@code name} whose labels include {@code domain="..."}. */
  private static java.util.Optional<Double> metric(String text, String name, String domain) {
    return metric(text, name, domain, "");
  }

  /** The first value of {@code name} with {@code domain="..."} and the given label text. */
  private static java.util.Optional<Double> metric(
      String text, String name, String domain, String label) {
    Matcher line = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    while (line.find()) {
      String labels = line.group(1);
      if (labels.contains("domain=\"" + domain + "\"") && labels.contains(label)) {
        return java.util.Optional.of(Double.parseDouble(line.group(2)));
      }
    }
    return java.util.Optional.empty();
  }
}
