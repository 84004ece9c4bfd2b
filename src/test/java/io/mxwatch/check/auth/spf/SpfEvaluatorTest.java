package io.mxwatch.check.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import io.mxwatch.check.auth.FakeDns;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpfEvaluatorTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** Builds the zone of RFC 7208 Appendix A with the given SPF record at example.com. */
  private static FakeDns appendixA(String exampleComRecord) {
    FakeDns dns = new FakeDns();
    dns.txt("example.com", exampleComRecord)
        .add("example.com", "A", "192.0.2.10")
        .add("example.com", "A", "192.0.2.11")
        .add("amy.example.com", "A", "192.0.2.65")
        .add("bob.example.com", "A", "192.0.2.66")
        .add("mail-a.example.com", "A", "192.0.2.129")
        .add("mail-b.example.com", "A", "192.0.2.130")
        .add("www.example.com", "CNAME", "example.com.")
        .add("example.com", "MX", "10 mail-a.example.com.")
        .add("example.com", "MX", "20 mail-b.example.com.")
        .add("example.org", "A", "192.0.2.140")
        .add("example.org", "MX", "10 mail-c.example.org.")
        .add("mail-c.example.org", "A", "192.0.2.140")
        .add("10.2.0.192.in-addr.arpa", "PTR", "example.com.")
        .add("11.2.0.192.in-addr.arpa", "PTR", "example.com.")
        .add("65.2.0.192.in-addr.arpa", "PTR", "amy.example.com.")
        .add("66.2.0.192.in-addr.arpa", "PTR", "bob.example.com.")
        .add("129.2.0.192.in-addr.arpa", "PTR", "mail-a.example.com.")
        .add("130.2.0.192.in-addr.arpa", "PTR", "mail-b.example.com.")
        .add("140.2.0.192.in-addr.arpa", "PTR", "mail-c.example.org.")
        .add("10.0.0.10.in-addr.arpa", "PTR", "bob.example.com.");
    return dns;
  }

  private static SpfResult check(FakeDns dns, String ip, String sender) {
    return SpfEvaluator.checkHost(
            dns, InetAddresses.forString(ip), sender, "mail.example.net", CLOCK, null)
        .result();
  }

  /** RFC 7208 Appendix A.1: simple examples evaluated from the addresses the RFC names. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "v=spf1 +all | 198.51.100.1 | pass",
        "v=spf1 a -all | 192.0.2.10 | pass",
        "v=spf1 a -all | 192.0.2.11 | pass",
        "v=spf1 a -all | 192.0.2.65 | fail",
        "v=spf1 a:example.org -all | 192.0.2.140 | pass",
        "v=spf1 a:example.org -all | 192.0.2.10 | fail",
        "v=spf1 mx -all | 192.0.2.129 | pass",
        "v=spf1 mx -all | 192.0.2.130 | pass",
        "v=spf1 mx -all | 192.0.2.10 | fail",
        "v=spf1 mx:example.org -all | 192.0.2.140 | pass",
        "v=spf1 mx mx:example.org -all | 192.0.2.130 | pass",
        "v=spf1 mx mx:example.org -all | 192.0.2.140 | pass",
        "v=spf1 mx/30 mx:example.org/30 -all | 192.0.2.131 | pass",
        "v=spf1 mx/30 mx:example.org/30 -all | 192.0.2.143 | pass",
        "v=spf1 mx/30 mx:example.org/30 -all | 192.0.2.132 | fail",
        "v=spf1 ptr -all | 192.0.2.65 | pass",
        "v=spf1 ptr -all | 192.0.2.140 | fail",
        "v=spf1 ptr -all | 10.0.0.10 | fail",
        "v=spf1 ip4:192.0.2.128/28 -all | 192.0.2.65 | fail",
        "v=spf1 ip4:192.0.2.128/28 -all | 192.0.2.129 | pass",
        "v=spf1 -ip4:192.0.2.0/24 +all | 192.0.2.1 | fail",
        "v=spf1 ~all | 192.0.2.1 | softfail",
        "v=spf1 ?all | 192.0.2.1 | neutral",
        "v=spf1 | 192.0.2.1 | neutral"
      })
  void checkHost_appendixAExamples(String record, String ip, String expected) {
    assertThat(check(appendixA(record), ip, "user@example.com").wireName()).isEqualTo(expected);
  }

  /** RFC 7208 Appendix A.2: one domain's policy built from another's. */
  @Test
  void checkHost_includeAndRedirectAcrossDomains() {
    FakeDns dns = appendixA("v=spf1 a -all");
    dns.txt("example.net", "v=spf1 include:example.com -all");
    dns.txt("la.example.net", "v=spf1 redirect=example.com");

    assertThat(check(dns, "192.0.2.10", "u@example.net")).isEqualTo(SpfResult.PASS);
    assertThat(check(dns, "192.0.2.65", "u@example.net")).isEqualTo(SpfResult.FAIL);
    assertThat(check(dns, "192.0.2.11", "u@la.example.net")).isEqualTo(SpfResult.PASS);
  }

  @Test
  void checkHost_joinsSplitTxtStringsWithoutSpaces() {
    FakeDns dns = new FakeDns().txt("split.example", "v=spf1 ip4:", "192.0.2.5 -all");

    assertThat(check(dns, "192.0.2.5", "a@split.example")).isEqualTo(SpfResult.PASS);
  }

  @Test
  void checkHost_includeLoopIsPermerror() {
    FakeDns dns =
        new FakeDns()
            .txt("a.example", "v=spf1 include:b.example -all")
            .txt("b.example", "v=spf1 include:a.example -all");

    SpfEvaluation evaluation =
        SpfEvaluator.checkHost(
            dns, InetAddresses.forString("192.0.2.1"), "x@a.example", "h.example", CLOCK, null);

    assertThat(evaluation.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(evaluation.problem()).contains("a.example -> b.example -> a.example");
  }

  @Test
  void checkHost_redirectIgnoredWhenAllPresent() {
    FakeDns dns =
        new FakeDns()
            .txt("r.example", "v=spf1 redirect=other.example ~all")
            .txt("other.example", "v=spf1 +all");

    assertThat(check(dns, "192.0.2.1", "x@r.example")).isEqualTo(SpfResult.SOFTFAIL);
  }

  @Test
  void checkHost_timeoutInIncludeIsTemperror() {
    FakeDns dns =
        new FakeDns().txt("t.example", "v=spf1 include:slow.example -all").timeout("slow.example");

    SpfEvaluation evaluation =
        SpfEvaluator.checkHost(
            dns, InetAddresses.forString("192.0.2.1"), "x@t.example", "h.example", CLOCK, null);

    assertThat(evaluation.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(evaluation.problemTerm()).isEqualTo("include:slow.example");
  }

  @Test
  void checkHost_thirdVoidLookupIsPermerror() {
    FakeDns dns =
        new FakeDns().txt("v.example", "v=spf1 a:n1.example a:n2.example a:n3.example ?all");

    assertThat(check(dns, "192.0.2.1", "x@v.example")).isEqualTo(SpfResult.PERMERROR);
  }

  @Test
  void checkHost_macroExpansionExamples() {
    // RFC 7208 §7.4: %{ir}.%{v}._spf.%{d2} for 192.0.2.3 and sender strong-bad@email.example.com.
    FakeDns dns =
        new FakeDns()
            .txt("email.example.com", "v=spf1 exists:%{ir}.%{v}._spf.%{d2} -all")
            .add("3.2.0.192.in-addr._spf.example.com", "A", "127.0.0.2");

    assertThat(check(dns, "192.0.2.3", "strong-bad@email.example.com")).isEqualTo(SpfResult.PASS);
    assertThat(check(dns, "192.0.2.4", "strong-bad@email.example.com")).isEqualTo(SpfResult.FAIL);
  }

  @Test
  void checkHost_explanationOfFail() {
    FakeDns dns =
        new FakeDns()
            .txt("e.example", "v=spf1 -all exp=why.e.example")
            .txt("why.e.example", "%{i} is not one of %{d}'s designated mail servers.");

    SpfEvaluation evaluation =
        SpfEvaluator.checkHost(
            dns, InetAddresses.forString("192.0.2.3"), "x@e.example", "h.example", CLOCK, null);

    assertThat(evaluation.explanation())
        .isEqualTo("192.0.2.3 is not one of e.example's designated mail servers.");
  }

  @Test
  void analyze_countsLookupsAcrossTheTree() {
    FakeDns dns =
        new FakeDns()
            .txt("big.example", "v=spf1 include:a.example include:b.example mx -all")
            .txt("a.example", "v=spf1 a mx include:c.example -all")
            .txt("b.example", "v=spf1 ip4:192.0.2.0/24 -all")
            .txt("c.example", "v=spf1 a -all")
            .add("a.example", "A", "192.0.2.1")
            .add("a.example", "MX", "10 a.example.")
            .add("c.example", "A", "192.0.2.2")
            .add("big.example", "MX", "10 a.example.");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "big.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.FAIL);
    assertThat(evaluation.dnsLookups()).isEqualTo(7);
    assertThat(evaluation.root().lookups()).isEqualTo(7);
    assertThat(evaluation.root().terms().get(0).subtreeLookups()).isEqualTo(5);
  }

  @Test
  void analyze_showsWhereTheLimitIsExceeded() {
    FakeDns dns = new FakeDns().txt("many.example", "v=spf1 " + "a ".repeat(12) + "-all");
    dns.add("many.example", "A", "192.0.2.1");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "many.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(evaluation.dnsLookups()).isEqualTo(12);
    assertThat(evaluation.problem()).contains("this is number 11");
  }

  @Test
  void analyze_doesNotResolveSenderDependentTerms() {
    FakeDns dns = new FakeDns().txt("m.example", "v=spf1 exists:%{l}.%{i}.list.m.example -all");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "m.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.FAIL);
    assertThat(evaluation.dnsLookups()).isEqualTo(1);
    assertThat(evaluation.root().terms().get(0).note()).contains("depends on the sender");
    assertThat(dns.queries()).isEqualTo(1);
  }

  @Test
  void analyze_openIncludePassesEveryone() {
    FakeDns dns =
        new FakeDns()
            .txt("p.example", "v=spf1 include:open.example -all")
            .txt("open.example", "v=spf1 +all");

    assertThat(SpfEvaluator.analyze(dns, "p.example").result()).isEqualTo(SpfResult.PASS);
  }

  @Test
  void analyze_warnsAboutRepeatedInclude() {
    FakeDns dns =
        new FakeDns()
            .txt("d.example", "v=spf1 include:x.example include:y.example -all")
            .txt("x.example", "v=spf1 include:z.example -all")
            .txt("y.example", "v=spf1 include:z.example -all")
            .txt("z.example", "v=spf1 ip4:192.0.2.1 -all");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "d.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.FAIL);
    assertThat(evaluation.dnsLookups()).isEqualTo(4);
    assertThat(evaluation.warnings()).anyMatch(w -> w.contains("z.example"));
  }

  @Test
  void analyze_timeoutHalfwayIsTemperror() {
    FakeDns dns =
        new FakeDns()
            .txt("h.example", "v=spf1 include:ok.example include:slow.example -all")
            .txt("ok.example", "v=spf1 include:slow2.example -all")
            .timeout("slow2.example")
            .txt("slow.example", "v=spf1 -all");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "h.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(evaluation.problemTerm()).isEqualTo("include:slow2.example");
    assertThat(evaluation.dnsLookups()).isEqualTo(3);
  }

  @Test
  void analyze_loopEndsWithoutStackOverflow() {
    FakeDns dns = new FakeDns().txt("self.example", "v=spf1 include:self.example -all");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "self.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(evaluation.problem()).contains("loop");
  }

  @Test
  void analyze_redirectLoopIsPermerror() {
    FakeDns dns =
        new FakeDns()
            .txt("r1.example", "v=spf1 redirect=r2.example")
            .txt("r2.example", "v=spf1 redirect=r1.example");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "r1.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(evaluation.problem())
        .contains("'redirect=r1.example' in the record of r2.example loops back to r1.example");
  }

  @Test
  void analyze_followsCnamedRecord() {
    FakeDns dns =
        new FakeDns()
            .add("alias.example", "CNAME", "real.example.")
            .txt("real.example", "v=spf1 ip4:192.0.2.1 -all");

    assertThat(SpfEvaluator.analyze(dns, "alias.example").result()).isEqualTo(SpfResult.FAIL);
  }

  @Test
  void analyze_idnDomainInALabels() {
    FakeDns dns =
        new FakeDns()
            .txt("xn--bcher-kva.example", "v=spf1 include:_spf.xn--bcher-kva.example ~all")
            .txt("_spf.xn--bcher-kva.example", "v=spf1 ip4:192.0.2.0/24 -all");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "xn--bcher-kva.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.SOFTFAIL);
    assertThat(evaluation.dnsLookups()).isEqualTo(1);
  }

  @Test
  void analyze_nonAsciiInRecordIsPermerror() {
    FakeDns dns = new FakeDns().txt("n.example", "v=spf1 a:\u00ef\u00bb\u00bfgarbage.example -all");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "n.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(evaluation.problem()).contains("U+00EF");
  }

  @Test
  void analyze_termsAfterAllAreNotCounted() {
    FakeDns dns =
        new FakeDns()
            .txt("late.example", "v=spf1 ip4:192.0.2.1 -all " + "include:x.example ".repeat(12));

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "late.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.FAIL);
    assertThat(evaluation.dnsLookups()).isZero();
    assertThat(evaluation.root().terms().get(2).note()).contains("never evaluated");
  }

  @Test
  void analyze_staticExistsMatchesEveryClient() {
    FakeDns dns =
        new FakeDns()
            .txt("open.example", "v=spf1 exists:always.open.example -all")
            .add("always.open.example", "A", "127.0.0.2");

    assertThat(SpfEvaluator.analyze(dns, "open.example").result()).isEqualTo(SpfResult.PASS);
  }

  @Test
  void analyze_trailingDotInIncludeTarget() {
    FakeDns dns =
        new FakeDns()
            .txt("dot.example", "v=spf1 include:_spf.dot.example. -all")
            .txt("_spf.dot.example", "v=spf1 ip4:192.0.2.0/24 -all");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "dot.example");

    assertThat(evaluation.result()).isEqualTo(SpfResult.FAIL);
    assertThat(evaluation.problem()).isNull();
  }
}
