package io.mxwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxwatch.testworld.ScenarioWorld;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenarios through the command line, as a user runs {@code mxwatch scan --json}. */
class ScanCommandTest {
  @TempDir static Path dir;
  static ScenarioWorld world;
  static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out.lines().findFirst().orElseThrow());
    }
  }

  @BeforeAll
  static void startWorld() {
    world = ScenarioWorld.start(dir);
  }

  @AfterAll
  static void stopWorld() {
    world.close();
  }

  static Run scan(String... extra) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--resolver",
            world.resolver(),
            "--trust-anchor",
            world.trustAnchor.toString(),
            "--allow-private",
            "--smtp-port",
            String.valueOf(world.smtpPort),
            "--timeout",
            "3s",
            "--pause",
            "0s"));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        ScanCommand.run(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** The statuses of every finding of one check, in output order. */
  static List<String> statuses(JsonNode result, String check) {
    return StreamSupport.stream(result.get("findings").spliterator(), false)
        .filter(f -> f.get("check").asText().equals(check))
        .map(f -> f.get("status").asText())
        .toList();
  }

  static JsonNode first(JsonNode result, String check) {
    return StreamSupport.stream(result.get("findings").spliterator(), false)
        .filter(f -> f.get("check").asText().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finding for " + check));
  }

  @Test
  void hardened_passesMailServerChecks() throws Exception {
    JsonNode result = scan("--json", "hardened.test").json();
    assertThat(result.get("domain").asText()).isEqualTo("hardened.test");
    assertThat(result.get("mxHosts").get(0).get("name").asText()).isEqualTo("mx.hardened.test");
    assertThat(result.get("mxHosts").get(0).get("addresses")).hasSize(2);
    assertThat(statuses(result, "mx.present")).containsExactly("pass");
    assertThat(statuses(result, "dnssec.domain")).containsExactly("pass");
    assertThat(statuses(result, "dnssec.mx_zone")).containsExactly("pass");
    assertThat(statuses(result, "ipv6.mx_aaaa")).containsExactly("pass");
    assertThat(statuses(result, "smtp.reachable")).containsExactly("pass", "pass");
    assertThat(statuses(result, "tls.starttls")).containsExactly("pass", "pass");
    assertThat(statuses(result, "dane.exists")).containsExactly("pass");
    assertThat(statuses(result, "dane.valid")).containsExactly("pass", "pass");
    assertThat(statuses(result, "dane.advice")).containsExactly("info");
    assertThat(result.get("score").isNull()).isFalse();
  }

  @Test
  void rollover_reportsTlsaMismatch() throws Exception {
    Run run = scan("--json", "rollover.test");
    JsonNode result = run.json();
    assertThat(statuses(result, "dane.exists")).containsExactly("pass");
    assertThat(statuses(result, "dane.valid")).containsExactly("fail");
    JsonNode valid = first(result, "dane.valid");
    assertThat(valid.get("summary").asText()).contains("TLSA mismatch");
    String advice = first(result, "dane.advice").get("summary").asText();
    assertThat(valid.get("details").get("wouldMatch").asText()).startsWith("3 1 1 ");
    assertThat(advice).contains(valid.get("details").get("wouldMatch").asText());
    assertThat(run.exit()).isEqualTo(1);
  }

  @Test
  void bogus_failsDnssecWithReason() throws Exception {
    JsonNode result = scan("--json", "bogus.test").json();
    JsonNode dnssec = first(result, "dnssec.domain");
    assertThat(dnssec.get("status").asText()).isEqualTo("fail");
    assertThat(dnssec.get("summary").asText()).contains("bogus").contains("expired");
    assertThat(statuses(result, "mx.present")).containsExactly("fail");
  }

  @Test
  void unsigned_failsDnssecAndSkipsDane() throws Exception {
    JsonNode result = scan("--json", "unsigned.test").json();
    assertThat(statuses(result, "dnssec.domain")).containsExactly("fail");
    assertThat(first(result, "dnssec.domain").get("summary").asText()).contains("insecure");
    assertThat(statuses(result, "dane.exists")).containsExactly("info");
    assertThat(statuses(result, "dane.valid")).containsExactly("not_applicable");
    assertThat(statuses(result, "tls.starttls")).containsExactly("pass");
  }

  @Test
  void noStarttls_failsStarttls() throws Exception {
    JsonNode result = scan("--json", "nostarttls.test").json();
    assertThat(statuses(result, "smtp.reachable")).containsExactly("pass");
    assertThat(statuses(result, "tls.starttls")).containsExactly("fail");
    assertThat(statuses(result, "dane.advice")).containsExactly("not_applicable");
  }

  @Test
  void nullMx_makesServerChecksNotApplicable() throws Exception {
    Run run = scan("--json", "nullmx.test");
    JsonNode result = run.json();
    assertThat(statuses(result, "mx.present")).containsExactly("info");
    assertThat(result.get("mxHosts")).isEmpty();
    for (String check : List.of("tls.starttls", "smtp.reachable", "dane.valid", "ipv6.mx_aaaa")) {
      assertThat(statuses(result, check)).as(check).containsExactly("not_applicable");
    }
  }

  @Test
  void missingDomain_failsMxPresent() throws Exception {
    JsonNode result = scan("--json", "nowhere.test").json();
    assertThat(first(result, "mx.present").get("summary").asText()).contains("NXDOMAIN");
  }

  @Test
  void invalidName_exitsWithUsageError() {
    Run run = scan("bad..name");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("invalid domain name 'bad..name'");
  }

  @Test
  void invalidSelector_exitsWithUsageError() {
    Run run = scan("--dkim-selector", "bad sel!", "hardened.test");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--dkim-selector: invalid DKIM selector 'bad sel!'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void leadingHyphenName_explainsOptionReading() {
    Run run = scan("-foo.test");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("'-foo.test' is read as an option");
  }

  @Test
  void textScorecard_namesImplicitMxAndCounts() {
    Run run = scan("hardened.test");
    assertThat(run.out()).containsPattern("\\d+ DNS quer(y|ies), \\d+ SMTP connections?\\n");
    assertThat(run.out()).contains("  MX 10 ");
  }

  @Test
  void invalidNameAmongValid_scansTheRest() throws Exception {
    Run run = scan("--json", "x..test", "hardened.test");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out().lines().count()).isEqualTo(1);
    assertThat(run.json().get("domain").asText()).isEqualTo("hardened.test");
  }

  @Test
  void privateAddressesRefusedByDefault() throws Exception {
    Run run = scanWithoutAllowPrivate("--json", "hardened.test");
    JsonNode reachable = first(run.json(), "smtp.reachable");
    assertThat(reachable.get("status").asText()).isEqualTo("error");
    assertThat(reachable.get("summary").asText()).contains("loopback");
  }

  static Run scanWithoutAllowPrivate(String... extra) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--resolver",
            world.resolver(),
            "--trust-anchor",
            world.trustAnchor.toString(),
            "--smtp-port",
            String.valueOf(world.smtpPort),
            "--pause",
            "0s"));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        ScanCommand.run(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void textScorecard_showsCategoriesAndAdvice() {
    Run run = scan("rollover.test");
    assertThat(run.out()).contains("rollover.test").contains("STARTTLS, TLS and DANE");
    assertThat(run.out()).contains("fix: Publish '_25._tcp.mx.rollover.test. IN TLSA 3 1 1");
  }

  /** Scans hardened.test through a resolver address where nothing listens. */
  private static Run scanWithDeadResolver(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--resolver",
                "127.0.0.1:9",
                "--trust-anchor",
                world.trustAnchor.toString(),
                "--timeout",
                "500ms",
                "--retries",
                "0"));
    args.addAll(List.of(extra));
    args.add("hardened.test");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        ScanCommand.run(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void deadResolver_exitsInconclusive() throws Exception {
    Run run = scanWithDeadResolver("--json");
    assertThat(run.exit()).isEqualTo(3);
    JsonNode result = JSON.readTree(run.out().lines().findFirst().orElseThrow());
    assertThat(first(result, "mx.present").get("status").asText()).isEqualTo("error");
    assertThat(first(result, "mx.present").get("summary").asText())
        .contains("nothing listens for DNS on 127.0.0.1:9");
    assertThat(run.err()).contains("scanning hardened.test");
  }

  @Test
  void deadResolver_textSaysMailServersUnknown() {
    Run run = scanWithDeadResolver();
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.out()).contains("mail servers: unknown, the MX lookup failed");
  }

  @Test
  void duplicateDomain_isScannedOnce() {
    Run run = scan("--json", "hardened.test", "HARDENED.test.");
    assertThat(run.out().lines().count()).isEqualTo(1);
  }

  @Test
  void missingTrustAnchor_namesTheFile() {
    StringWriter err = new StringWriter();
    int exit =
        ScanCommand.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "--trust-anchor",
            "/nonexistent/anchor.ds",
            "hardened.test");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("trust anchor file /nonexistent/anchor.ds does not exist");
    assertThat(err.toString()).contains("Try 'mxwatch scan --help'");
    assertThat(err.toString()).doesNotContain("--dkim-selector");
  }

  @Test
  void version_printsName() {
    StringWriter out = new StringWriter();
    int exit =
        ScanCommand.run(
            new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--version");
    assertThat(exit).isZero();
    assertThat(out.toString()).startsWith("mxwatch ");
  }
}
