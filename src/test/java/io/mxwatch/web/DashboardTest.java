package io.mxwatch.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.ScanStore;
import io.mxwatch.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DashboardTest {
  private static final Pattern CSRF_INPUT =
      Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject EntityManager entityManager;

  /** The CSRF cookie and form token a browser gets with the page. */
  private record Csrf(String cookie, String token) {}

  private static Csrf csrf() {
    Response page = given().when().get("/");
    Matcher matcher = CSRF_INPUT.matcher(page.asString());
    assertThat(matcher.find()).as("the page carries a CSRF token").isTrue();
    return new Csrf(page.getCookie("csrf-token"), matcher.group(1));
  }

  private static Response postForm(String path, Csrf csrf, String... fields) {
    var request =
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded");
    if (csrf != null) {
      request = request.cookie("csrf-token", csrf.cookie()).formParam("csrf-token", csrf.token());
    }
    for (int i = 0; i < fields.length; i += 2) {
      request = request.formParam(fields[i], fields[i + 1]);
    }
    return request.when().post(path);
  }

  @Test
  void add_redirectsToScorecard() {
    String name = Fixtures.uniqueName("form");

    Response response = postForm("/domains", csrf(), "name", name, "selectors", "s1, s2");

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.header("Location")).endsWith("/domains/" + name);
    assertThat(domains.find(name).orElseThrow().dkimSelectors()).containsExactly("s1", "s2");
    String page =
        given().when().get("/domains/" + name).then().statusCode(200).extract().asString();
    assertThat(page).contains(name).contains("<code>s1</code>");
  }

  @Test
  void add_withoutCsrfTokenIsRejected() {
    String name = Fixtures.uniqueName("nocsrf");

    Response response = postForm("/domains", null, "name", name);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(domains.find(name)).isEmpty();
  }

  @Test
  void add_invalidNameShowsError() {
    Response response = postForm("/domains", csrf(), "name", "bad name.<b>org</b>");

    assertThat(response.statusCode()).isEqualTo(400);
    String page = response.asString();
    assertThat(page).contains("role=\"alert\"").contains("invalid domain name");
    assertThat(page).contains("value=\"bad name.&lt;b&gt;org&lt;/b&gt;\"");
    assertThat(page).doesNotContain("<b>org</b>");
  }

  @Test
  void add_duplicateShowsError() {
    String name = Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("dup")).name();

    Response response = postForm("/domains", csrf(), "name", name);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.asString()).contains("domain " + name + " is already registered");
  }

  @Test
  void remove_deletesAndRedirects() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("gone")).name();

    Response response = postForm("/domains/" + name + "/delete", csrf());

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(domains.find(name)).isEmpty();
    given().when().get("/domains/" + name).then().statusCode(404);
  }

  @Test
  void remove_withoutCsrfTokenIsRejected() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("keep")).name();

    Response response = postForm("/domains/" + name + "/delete", null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("text/html");
    assertThat(response.asString()).contains("CSRF token is missing or does not match");
    assertThat(domains.find(name)).isPresent();
  }

  @Test
  void remove_withWrongCsrfTokenIsRejected() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("keep")).name();
    Csrf page = csrf();

    Response response =
        postForm("/domains/" + name + "/delete", new Csrf(page.cookie(), page.token() + "x"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.asString()).contains("CSRF token is missing or does not match");
    assertThat(domains.find(name)).isPresent();
  }

  @Test
  void remove_crossSiteIsRejected() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("keep")).name();

    Response response =
        given()
            .redirects()
            .follow(false)
            .contentType("application/x-www-form-urlencoded")
            .header("Origin", "https://attacker.example")
            .header("Sec-Fetch-Site", "cross-site")
            .when()
            .post("/domains/" + name + "/delete");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.asString()).contains("rejected");
    assertThat(domains.find(name)).isPresent();
  }

  @Test
  void scanNow_withoutCsrfTokenIsRejected() {
    String name = Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("now")).name();

    Response response = postForm("/domains/" + name + "/scan", null);

    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void unknownDomainPageIs404WithReason() {
    Response response = given().when().get("/domains/never-registered.example");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("text/html");
    assertThat(response.asString())
        .contains("domain never-registered.example is not registered")
        .contains("href=\"/\"");
  }

  @Test
  void overview_nonNumericPageShowsFirstPage() {
    given().when().get("/?page=abc").then().statusCode(200);
  }

  @Test
  void unknownPathIs404PageWithEscapedPath() {
    Response response = given().urlEncodingEnabled(false).when().get("/nothing%3Cb%3Ehere");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("text/html");
    assertThat(response.asString()).contains("nothing is found at").doesNotContain("<b>here");
  }

  @Test
  void scanNow_redirectsWithNotice() {
    String name = Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("now")).name();

    Response response = postForm("/domains/" + name + "/scan", csrf());

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.header("Location")).endsWith("/domains/" + name + "?queued=1");
    assertThat(given().when().get("/domains/" + name + "?queued=1").asString())
        .contains("Scan queued");
  }

  @Test
  void scorecard_escapesHostileText() {
    String name = Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("xss")).name();
    scans.save(Fixtures.richResult(name, Instant.now()));

    String page =
        given()
            .when()
            .get("/domains/" + name)
            .then()
            .statusCode(200)
            .contentType("text/html")
            .extract()
            .asString();

    assertThat(page).doesNotContain("<script>alert(1)</script>");
    assertThat(page).contains("SPF says &lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(page).contains("fix &lt;script&gt;");
    // Control and bidi characters are shown as escapes, never sent raw.
    assertThat(page).doesNotContain("\u202e").doesNotContain("\u001b").doesNotContain("\u0000");
    assertThat(page).contains("\\u{202E}").contains("\\u{001B}").contains("\u2400");
    // Certificate subjects come from the remote server too.
    assertThat(page).contains("O=&lt;script&gt;");
    assertThat(page).contains("3 1 1 " + "bb".repeat(32));
    assertThat(page).contains("TLSA match");
  }

  @Test
  void scorecard_groupsFindingsByCategory() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("groups")).name();
    scans.save(Fixtures.richResult(name, Instant.now()));

    String page =
        given().when().get("/domains/" + name).then().statusCode(200).extract().asString();

    assertThat(page)
        .contains("<h3>DNSSEC")
        .contains("<h3>Authentication")
        .contains("<h3>STARTTLS, TLS and DANE");
    assertThat(page.indexOf("<h3>DNSSEC")).isLessThan(page.indexOf("<h3>Authentication"));
    assertThat(page).contains("mx1." + name);
    assertThat(page).contains("192.0.2.25");
  }

  @Test
  void overview_listsDomainsWithWorstFindingsEscaped() {
    String name =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("fleet")).name();
    String hostile = "</td><script>alert(2)</script>";
    scans.save(
        Fixtures.result(
            name,
            Instant.now(),
            List.of(new Finding("auth.spf", Status.FAIL, name, hostile, null, null))));

    String page =
        given().queryParam("q", name).when().get("/").then().statusCode(200).extract().asString();

    assertThat(page).contains("href=\"/domains/" + name + "\"");
    assertThat(page).contains("1 fail");
    assertThat(page).doesNotContain(hostile);
    assertThat(page).contains("&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
  }

  @Test
  void overview_filtersByStatusAndName() {
    String failing =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("filterfail")).name();
    String passing =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("filterpass")).name();
    scans.save(
        Fixtures.result(
            failing, Instant.now(), List.of(Fixtures.finding("auth.spf", Status.FAIL, failing))));
    scans.save(
        Fixtures.result(
            passing, Instant.now(), List.of(Fixtures.finding("auth.spf", Status.PASS, passing))));

    String page =
        given()
            .queryParam("q", "filter")
            .queryParam("status", "fail")
            .when()
            .get("/")
            .then()
            .statusCode(200)
            .extract()
            .asString();

    assertThat(page).contains(failing).doesNotContain(passing);
  }

  @Test
  void overview_showsUnicodeNames() {
    String unicode = Fixtures.uniqueName("straße");
    Fixtures.addIdleDomain(domains, entityManager, unicode);
    String ascii = DomainName.parse(unicode).ascii();

    String page =
        given()
            .queryParam("q", "straße")
            .when()
            .get("/")
            .then()
            .statusCode(200)
            .extract()
            .asString();

    assertThat(page).contains(unicode).contains(ascii);
  }
}
