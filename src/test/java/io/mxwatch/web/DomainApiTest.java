package io.mxwatch.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.mxwatch.dns.DomainName;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.ScanStore;
import io.mxwatch.testsupport.Await;
import io.mxwatch.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class DomainApiTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject EntityManager entityManager;

  private static io.restassured.response.Response post(Object body) {
    return given().contentType(ContentType.JSON).body(body).when().post("/api/domains");
  }

  @Test
  void addListRemove_roundTrip() {
    String name = Fixtures.uniqueName("api");

    post(Map.of("name", name.toUpperCase() + ".", "dkimSelectors", List.of("s1", "S2")))
        .then()
        .statusCode(201)
        .header("Location", containsString("/api/domains/" + name))
        .body("name", equalTo(name))
        .body("dkimSelectors", equalTo(List.of("s1", "s2")));

    given().when().get("/api/domains").then().statusCode(200).body("name", hasItem(name));

    given().when().delete("/api/domains/" + name).then().statusCode(204);
    given().when().get("/api/domains").then().body("name", not(hasItem(name)));
    given()
        .when()
        .delete("/api/domains/" + name)
        .then()
        .statusCode(404)
        .body("error", containsString("not registered"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "exa mple.org",
        "-leading.org",
        "a..b.org",
        "under_score.org",
        "<script>.org"
      })
  void add_invalidNameIs400(String name) {
    post(Map.of("name", name))
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("error", containsString("domain name"));
  }

  @Test
  void add_labelTooLongIs400() {
    post(Map.of("name", "a".repeat(64) + ".org"))
        .then()
        .statusCode(400)
        .body("error", containsString("longer than 63"));
  }

  @Test
  void add_invalidSelectorIs400() {
    post(Map.of("name", Fixtures.uniqueName("selector"), "dkimSelectors", List.of("ok", "bad/sel")))
        .then()
        .statusCode(400)
        .body("error", containsString("invalid DKIM selector 'bad/sel'"));
  }

  @Test
  void add_missingBodyIs400() {
    given()
        .contentType(ContentType.JSON)
        .when()
        .post("/api/domains")
        .then()
        .statusCode(400)
        .body("error", containsString("expected a JSON body"));
  }

  @Test
  void add_duplicateIs409InEitherForm() {
    String unicode = Fixtures.uniqueName("bücher");
    String ascii = DomainName.parse(unicode).ascii();
    post(Map.of("name", unicode)).then().statusCode(201).body("unicodeName", equalTo(unicode));

    post(Map.of("name", unicode))
        .then()
        .statusCode(409)
        .body("error", equalTo("domain " + ascii + " is already registered"));
    post(Map.of("name", ascii)).then().statusCode(409);
  }

  @Test
  void get_acceptsUnicodeAndALabelPaths() {
    String unicode = Fixtures.uniqueName("größe");
    String ascii = DomainName.parse(unicode).ascii();
    Fixtures.addIdleDomain(domains, entityManager, unicode);
    scans.save(Fixtures.richResult(ascii, Instant.now()));

    given()
        .when()
        .get("/api/domains/" + unicode)
        .then()
        .statusCode(200)
        .body("domain", equalTo(ascii));
    given()
        .when()
        .get("/api/domains/" + ascii)
        .then()
        .statusCode(200)
        .body("domain", equalTo(ascii));
  }

  @Test
  void get_unknownAndUnscannedAre404() {
    given()
        .when()
        .get("/api/domains/" + Fixtures.uniqueName("nowhere"))
        .then()
        .statusCode(404)
        .body("error", containsString("not registered"));
    String idle =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("idle")).name();
    given()
        .when()
        .get("/api/domains/" + idle)
        .then()
        .statusCode(404)
        .body("error", equalTo(idle + " has not been scanned yet"));
  }

  @Test
  void get_returnsStoredResultInScanResultShape() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("shape")).name();
    Instant scannedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    scans.save(Fixtures.richResult(name, scannedAt));

    JsonPath json =
        given()
            .when()
            .get("/api/domains/" + name)
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .extract()
            .jsonPath();

    assertThat(json.getString("domain")).isEqualTo(name);
    assertThat(Instant.parse(json.getString("scannedAt"))).isEqualTo(scannedAt);
    assertThat(json.getInt("score")).isBetween(0, 100);
    assertThat(json.getMap("categoryScores")).containsKeys("dnssec", "auth");
    assertThat(json.getString("mxHosts[0].name")).isEqualTo("mx1." + name);
    assertThat(json.getInt("mxHosts[0].preference")).isEqualTo(10);
    assertThat(json.getList("mxHosts[0].addresses")).containsExactly("192.0.2.25");
    assertThat(json.getList("findings.check"))
        .containsExactly("dnssec.domain", "auth.spf", "tls.starttls", "dane.valid");
    assertThat(json.getList("findings.status")).containsExactly("pass", "fail", "error", "pass");
    assertThat(json.getMap("findings[1]"))
        .containsKeys("check", "status", "target", "summary", "details", "advice");
    assertThat(json.getString("findings[1].details.record"))
        .isEqualTo(Fixtures.HOSTILE.replace("\u0000", "\u2400"));
    assertThat(json.getString("observations[0].chain[0].spkiSha256")).isEqualTo("bb".repeat(32));
    assertThat(json.getBoolean("observations[0].tlsaMatch")).isTrue();
  }

  @Test
  void scanNow_storesResultAndHistoryGrows() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("scan")).name();

    given()
        .contentType(ContentType.JSON)
        .when()
        .post("/api/domains/" + name + "/scan")
        .then()
        .statusCode(202)
        .body("domain", equalTo(name))
        .body("status", equalTo("queued"));
    JsonPath first = awaitScans(name, 1);
    given()
        .contentType(ContentType.JSON)
        .when()
        .post("/api/domains/" + name + "/scan")
        .then()
        .statusCode(202);
    JsonPath second = awaitScans(name, 2);

    assertThat(first.getList("status")).containsExactly("completed");
    assertThat(second.getList("status")).containsExactly("completed", "completed");
    assertThat(Instant.parse(second.getString("[0].startedAt")))
        .isAfter(Instant.parse(second.getString("[1].startedAt")));
    JsonPath latest =
        given().when().get("/api/domains/" + name).then().statusCode(200).extract().jsonPath();
    assertThat(latest.getString("domain")).isEqualTo(name);
    assertThat(latest.getList("mxHosts")).isNotNull();
    assertThat(latest.getList("findings")).isNotNull();
    for (Map<String, Object> finding : latest.<Map<String, Object>>getList("findings")) {
      assertThat(finding).containsKeys("check", "status", "target", "summary", "details");
    }
  }

  @Test
  void scanNow_unknownDomainIs404() {
    given()
        .contentType(ContentType.JSON)
        .when()
        .post("/api/domains/" + Fixtures.uniqueName("ghost") + "/scan")
        .then()
        .statusCode(404);
  }

  @Test
  void history_rejectsLimitOutOfRange() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("limit")).name();
    given()
        .when()
        .get("/api/domains/" + name + "/scans?limit=0")
        .then()
        .statusCode(400)
        .body("error", containsString("limit must be 1 to 1000"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"name\": ", "[1, 2]", "{\"name\": [\"a\"]}", "not json"})
  void add_malformedJsonIs400WithError(String body) {
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/api/domains")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("error", containsString("JSON"));
  }

  @Test
  void add_wrongFieldTypeNamesField() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"name\": \"x.example\", \"dkimSelectors\": \"s1\"}")
        .when()
        .post("/api/domains")
        .then()
        .statusCode(400)
        .body("error", containsString("field 'dkimSelectors' must be a list of strings"))
        .body("error", not(containsString("java.")));
  }

  @Test
  void add_misspeltFieldIs400() {
    String name = Fixtures.uniqueName("typo");
    given()
        .contentType(ContentType.JSON)
        .body("{\"name\": \"" + name + "\", \"dkimSelector\": [\"s1\"]}")
        .when()
        .post("/api/domains")
        .then()
        .statusCode(400)
        .body("error", containsString("unknown field 'dkimSelector'"));
    assertThat(domains.find(name)).isEmpty();
  }

  @Test
  void add_plainTextBodyIs415Json() {
    given()
        .contentType(ContentType.TEXT)
        .body("x.example")
        .when()
        .post("/api/domains")
        .then()
        .statusCode(415)
        .contentType(ContentType.JSON)
        .body("error", containsString("send application/json"));
  }

  @Test
  void wrongMethodIs405Json() {
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .when()
        .put("/api/domains/x.example")
        .then()
        .statusCode(405)
        .contentType(ContentType.JSON)
        .body("error", containsString("method PUT is not allowed"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"scans", "events"})
  void limit_notANumberIs400(String list) {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("limit")).name();
    given()
        .when()
        .get("/api/domains/" + name + "/" + list + "?limit=ten")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("error", containsString("limit must be a whole number from 1 to 1000"));
  }

  @Test
  void events_rejectsLimitOutOfRange() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("limit")).name();
    given()
        .when()
        .get("/api/domains/" + name + "/events?limit=5000")
        .then()
        .statusCode(400)
        .body("error", containsString("limit must be 1 to 1000"));
  }

  @Test
  void scan_formPostIs400Json() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("form")).name();
    given()
        .contentType(ContentType.URLENC)
        .formParam("x", "1")
        .when()
        .post("/api/domains/" + name + "/scan")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("error", containsString("the API takes JSON"));
  }

  @Test
  void apiRootIs404Json() {
    given().when().get("/api").then().statusCode(404).contentType(ContentType.JSON);
  }

  @Test
  void unknownApiPathIs404Json() {
    given()
        .when()
        .get("/api/nothing-here")
        .then()
        .statusCode(404)
        .contentType(ContentType.JSON)
        .body("error", containsString("/api/nothing-here"));
  }

  @Test
  void post_crossSiteBrowserRequestIs403() {
    String name = Fixtures.uniqueName("csrf");
    given()
        .contentType(ContentType.JSON)
        .header("Origin", "https://attacker.example")
        .body(Map.of("name", name))
        .when()
        .post("/api/domains")
        .then()
        .statusCode(403);
    given()
        .header("Sec-Fetch-Site", "cross-site")
        .when()
        .delete("/api/domains/" + name)
        .then()
        .statusCode(403);
    assertThat(domains.find(name)).isEmpty();
  }

  private JsonPath awaitScans(String name, int count) {
    return Await.value(
        count + " scans of " + name,
        WAIT,
        () -> {
          JsonPath history =
              given()
                  .when()
                  .get("/api/domains/" + name + "/scans")
                  .then()
                  .statusCode(200)
                  .extract()
                  .jsonPath();
          return history.getList("$").size() >= count ? Optional.of(history) : Optional.empty();
        });
  }
}
