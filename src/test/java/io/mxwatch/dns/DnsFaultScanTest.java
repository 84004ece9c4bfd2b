package io.mxwatch.dns;

import static io.mxwatch.testworld.ScanRunner.findings;
import static io.mxwatch.testworld.ScanRunner.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.cli.ScanCommand;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.testworld.DnsFault;
import io.mxwatch.testworld.DnsWorld;
import io.mxwatch.testworld.ScanRunner;
import io.mxwatch.testworld.SilentDnsServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;

/**
 * Bad answers and silent servers through full scans: every DNS-based check ends in an {@code error}
 * finding that says why, and no lookup outlives its timeout.
 */
class DnsFaultScanTest {
  @TempDir static Path dir;
  static DnsWorld world;
  static final Duration TIMEOUT = Duration.ofMillis(300);

  /** Checks that read DNS only, so a DNS fault must make each of them an error. */
  static final List<Check> DNS_CHECKS =
      List.of(
          Check.MX_PRESENT,
          Check.DNSSEC_DOMAIN,
          Check.DNSSEC_SIGNATURE_EXPIRY,
          Check.DNSSEC_ALGORITHMS,
          Check.IPV6_NS_AAAA,
          Check.IPV6_NS_REACH);

  static final String LONG_DOMAIN =
      String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(51))
          + ".long.test";

  @BeforeAll
  static void startWorld() {
    world = new DnsWorld().start();
    world.zone("mail.test.").add("@ MX 10 mx\nmx A 127.0.0.30\n");
    world.zone("dead.test.").add("@ MX 10 mx\nmx A 127.0.0.31\n");
    // The longest name DNS allows, as domain and MX host: every prefixed name overflows.
    world.zone("long.test.").add(LONG_DOMAIN + ". MX 10 " + LONG_DOMAIN + ".\n");
    world.zone("long.test.").add(LONG_DOMAIN + ". A 127.0.0.32\n");
  }

  @AfterEach
  void resetFaults() {
    world.faults(q -> DnsFault.NONE);
  }

  @AfterAll
  static void stopWorld() {
    world.close();
  }

  static DnsSettings settings(java.net.InetSocketAddress resolver) {
    return new DnsSettings(
        List.of(resolver),
        TIMEOUT,
        0,
        Duration.ofSeconds(20),
        world.writeTrustAnchor(dir),
        Clock.systemUTC());
  }

  static ScanResult scan(DnsSettings settings, String domain) {
    try (ScanRunner runner = new ScanRunner(settings, ScanRunner.options(false))) {
      return runner.scan(domain);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          GARBAGE        | invalid DNS header - too short
          WRONG_ID       | invalid message id
          WRONG_QUESTION | invalid name in message
          DROP           | no answer
          SERVFAIL       | SERVFAIL
          REFUSED        | REFUSED
          """)
  void resolverFault_givesErrorFindings(DnsFault fault, String reason) {
    world.faults(q -> fault);
    ScanResult result = scan(settings(world.address()), "mail.test");
    for (Check check : DNS_CHECKS) {
      for (Finding finding : findings(result, check.id())) {
        assertThat(finding.status()).as(check + ": " + finding.summary()).isEqualTo(Status.ERROR);
      }
    }
    assertThat(only(result, "mx.present").summary()).contains(reason);
    assertThat(only(result, "dnssec.domain").summary()).contains(reason);
    assertThat(result.findings()).noneMatch(f -> f.summary().contains("internal error"));
  }

  @Test
  void silentResolver_endsWithinBudget() throws Exception {
    try (SilentDnsServer silent = SilentDnsServer.start()) {
      DnsSettings settings = settings(silent.address()).withScanBudget(Duration.ofSeconds(3));
      ScanResult result = scan(settings, "mail.test");
      assertThat(only(result, "mx.present").status()).isEqualTo(Status.ERROR);
      assertThat(only(result, "dnssec.domain").status()).isEqualTo(Status.ERROR);
      // The budget caps the DNS time of each scan attempt; a lookup in flight can overrun it by
      // one wait at most.
      Duration bound = settings.scanBudget().plus(TIMEOUT.multipliedBy(4)).plusSeconds(2);
      int attempts = 1 + result.stats().retries();
      assertThat(Duration.ofMillis(result.stats().dnsMillis()))
          .isLessThan(bound.multipliedBy(attempts));
      ResolverBehaviourTest.assertNoDnsThreadsWithin(bound);
    }
  }

  @Test
  void zoneWhoseServersAllTimeOut_isError() throws Exception {
    Name dead = Name.fromString("dead.test.");
    world.faults(q -> q.getQuestion().getName().subdomain(dead) ? DnsFault.DROP : DnsFault.NONE);
    ScanResult result = scan(settings(world.address()), "dead.test");
    for (Check check : DNS_CHECKS) {
      for (Finding finding : findings(result, check.id())) {
        assertThat(finding.status()).as(check + ": " + finding.summary()).isEqualTo(Status.ERROR);
      }
    }
    assertThat(only(result, "mx.present").summary()).contains("TIMEOUT");
  }

  @Test
  void longestName_scansWithoutInternalErrors() {
    assertThat(LONG_DOMAIN).hasSize(253);
    ScanResult result = scan(settings(world.address()), LONG_DOMAIN);
    assertThat(only(result, "mx.present").status()).isEqualTo(Status.PASS);
    assertThat(only(result, "dnssec.domain").status()).isEqualTo(Status.PASS);
    assertThat(only(result, "dnssec.signature_expiry").status()).isEqualTo(Status.PASS);
    Finding dane = only(result, "dane.exists");
    assertThat(dane.status()).isEqualTo(Status.ERROR);
    assertThat(dane.summary()).contains("cannot form the TLSA name");
    assertThat(result.findings()).noneMatch(f -> f.summary().contains("internal error"));
  }

  @Test
  void cli_overLongNameIsUsageError() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        ScanCommand.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "--resolver",
            "127.0.0.1:" + world.address().getPort(),
            "--trust-anchor",
            world.writeTrustAnchor(dir).toString(),
            "x." + LONG_DOMAIN);
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("longer than 253 characters");
  }

  @Test
  void cli_resolverFaultGivesErrorFindings() throws Exception {
    world.faults(q -> DnsFault.WRONG_ID);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ScanCommand.run(
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        "--json",
        "--timeout",
        "300ms",
        "--resolver",
        "127.0.0.1:" + world.address().getPort(),
        "--trust-anchor",
        world.writeTrustAnchor(dir).toString(),
        "mail.test");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    for (var finding : json.get("findings")) {
      if (finding.get("check").asText().equals("dnssec.domain")) {
        assertThat(finding.get("status").asText()).isEqualTo("error");
        assertThat(finding.get("summary").asText()).contains("invalid message id");
      }
    }
  }
}
