package io.mxwatch.check.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.spf.SpfEvaluator;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Type;

class SpfChecksTest {

  private static Finding record(FakeDns dns, String domain) {
    DnsAnswer txt = DnsNames.query(dns, domain, Type.TXT);
    return SpfChecks.record(domain, SpfChecks.SpfRecords.of(txt), false);
  }

  private static Finding policy(FakeDns dns, String domain) {
    DnsAnswer txt = DnsNames.query(dns, domain, Type.TXT);
    return SpfChecks.policy(
        domain, SpfChecks.SpfRecords.of(txt), SpfEvaluator.analyze(dns, domain), false);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=spf1 -all | pass | one valid SPF record",
        "v=spf1 mx -al | fail | unknown mechanism '-al'",
        "v=spf1 ip4:192.0.2.1/33 -all | fail | larger than 32",
        "v=spf1 a:192.0.2.1 -all | fail | not a domain name",
        "v=spf1include:x.example -all | fail | does not start with 'v=spf1' and a space",
        "spf1 -all | fail | no SPF record"
      })
  void record_grades(String text, String status, String summary) {
    FakeDns dns = new FakeDns().txt("d.example", text).txt("d.example", "google-site-verify=x");

    Finding finding = record(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.fromWireName(status));
    assertThat(finding.summary()).contains(summary);
  }

  @Test
  void record_twoRecordsFail() {
    FakeDns dns = new FakeDns().txt("d.example", "v=spf1 -all").txt("d.example", "V=SPF1 mx ~all");

    Finding finding = record(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("2 SPF records");
    assertThat(finding.advice()).contains("Merge");
  }

  @Test
  void record_noneFailsWithAdvice() {
    Finding finding = record(new FakeDns().add("d.example", "A", "192.0.2.1"), "d.example");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.advice()).contains("v=spf1 mx -all");
  }

  @Test
  void record_nullMxDomainIsToldToPublishDashAll() {
    DnsAnswer txt = DnsNames.query(new FakeDns(), "n.example", Type.TXT);

    Finding finding = SpfChecks.record("n.example", SpfChecks.SpfRecords.of(txt), true);

    assertThat(finding.advice()).contains("'v=spf1 -all'");
  }

  @Test
  void record_timeoutIsError() {
    Finding finding = record(new FakeDns().timeout("d.example"), "d.example");

    assertThat(finding.status()).isEqualTo(Status.ERROR);
  }

  @Test
  void record_veryLongRecordWarns() {
    StringBuilder text = new StringBuilder("v=spf1");
    while (text.length() < 4000) {
      text.append(" ip4:192.0.2.").append(text.length() % 250);
    }
    FakeDns dns = new FakeDns().longTxt("d.example", text + " -all");

    Finding finding = record(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.summary()).contains("450");
  }

  @Test
  void record_nonAsciiByteIsPreciseFail() {
    FakeDns dns = new FakeDns().txt("d.example", "v=spf1 \u0080a:example.net -all");

    Finding finding = record(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("U+0080").contains("position 8");
  }

  /** The verdict table of auth.spf_policy. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=spf1 ip4:192.0.2.1 -all | pass | 'fail' (-all)",
        "v=spf1 ip4:192.0.2.1 ~all | pass | 'softfail' (~all)",
        "v=spf1 redirect=_spf.d.example | pass | via redirect=_spf.d.example",
        "v=spf1 +all | fail | every server on the internet passes",
        "v=spf1 all | fail | every server on the internet passes",
        "v=spf1 ip4:192.0.2.1 ?all | fail | ('?all')",
        "v=spf1 ip4:192.0.2.1 | fail | the record has no 'all'",
        "v=spf1 include:open.example -all | fail | via include:open.example",
        "v=spf1 ip4:0.0.0.0/0 -all | fail | like '+all'",
        "v=spf1 include:missing.example -all | fail | has no SPF record",
        "v=spf1 redirect=missing.example | fail | has no SPF record",
        "v=spf1 include:slow.example -all | error | include:slow.example",
        "v=spf1 ptr -all | warn | 'ptr'",
        "v=spf1 include:_spf.d.example include:_spf.d.example -all | warn | more than once",
        "v=spf1 a:n1.d.example a:n2.d.example a:n3.d.example -all | fail | void lookups",
        "v=spf1 redirect=_spf.d.example -all | pass | 'fail' (-all)"
      })
  void policy_grades(String text, String status, String summary) {
    FakeDns dns =
        new FakeDns()
            .txt("d.example", text)
            .txt("_spf.d.example", "v=spf1 ip4:192.0.2.0/24 -all")
            .txt("open.example", "v=spf1 +all")
            .timeout("slow.example");

    Finding finding = policy(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.fromWireName(status));
    assertThat(finding.summary()).contains(summary);
    if (finding.status() != Status.PASS && finding.status() != Status.ERROR) {
      assertThat(finding.advice()).isNotBlank();
    }
  }

  @Test
  void policy_elevenLookupsFailWithTreeInDetails() {
    FakeDns dns = new FakeDns();
    StringBuilder record = new StringBuilder("v=spf1");
    for (int i = 0; i < 11; i++) {
      record.append(" include:s").append(i).append(".example");
      dns.txt("s" + i + ".example", "v=spf1 ip4:192.0.2." + i + " -all");
    }
    dns.txt("d.example", record + " -all");

    Finding finding = policy(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary())
        .isEqualTo(
            "SPF permerror: 11 DNS-querying terms, the limit is 10; the 11th is"
                + " 'include:s10.example' in the record of d.example");
    assertThat(finding.details()).containsEntry("dnsLookups", 11);
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) finding.details().get("tree");
    assertThat(tree).containsEntry("lookups", 11);
    assertThat((List<?>) tree.get("terms")).hasSize(12);
  }

  /** Records with an empty value, without 'all', or with macros. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=spf1 | fail | the record has no 'all'",
        "\"v=spf1 redirect=\" | fail | invalid modifier 'redirect=': the domain is empty",
        "\"v=spf1 include:\" | fail | invalid mechanism 'include:': the domain is empty",
        "\"v=spf1 exp= -all\" | fail | invalid modifier 'exp=': the domain is empty",
        "v=spf1 foo=%{z} -all | fail | unknown macro letter 'z'",
        "v=spf1 include:%{l}.x.example -all | pass | 'fail' (-all)",
        "v=spf1 redirect=%{l}.x.example | warn | expanded from each sender's address"
      })
  void policy_textNamesWhatIsMissing(String text, String status, String summary) {
    FakeDns dns = new FakeDns().txt("d.example", text);

    Finding finding = policy(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.fromWireName(status));
    assertThat(finding.summary()).contains(summary);
    assertThat(finding.summary()).doesNotContain("null");
    if (finding.advice() != null) {
      assertThat(finding.advice()).doesNotContain("null");
    }
  }

  @Test
  void policy_severalRecordsNameTheCount() {
    FakeDns dns = new FakeDns().txt("d.example", "v=spf1 -all").txt("d.example", "v=spf1 ~all");

    Finding finding = policy(dns, "d.example");

    assertThat(finding.summary())
        .isEqualTo("SPF permerror: 2 SPF records at d.example (RFC 7208 §4.5 allows one)");
    assertThat(finding.advice()).doesNotContain("null");
  }

  @Test
  void policy_rootLookupErrorNamesRecord() {
    // The TXT lookup of auth.spf found the record, and the evaluation's own lookup timed out.
    FakeDns found = new FakeDns().txt("d.example", "v=spf1 -all");
    FakeDns failing = new FakeDns().timeout("d.example", "TXT");
    SpfChecks.SpfRecords records =
        SpfChecks.SpfRecords.of(DnsNames.query(found, "d.example", Type.TXT));

    Finding finding =
        SpfChecks.policy("d.example", records, SpfEvaluator.analyze(failing, "d.example"), false);

    assertThat(finding.status()).isEqualTo(Status.ERROR);
    assertThat(finding.summary()).contains("at the record of d.example");
    assertThat(finding.summary()).contains("TIMEOUT");
    assertThat(finding.summary()).doesNotContain("null");
  }

  @Test
  void record_syntaxErrorNamesReasonAndTerm() {
    Finding finding = record(new FakeDns().txt("d.example", "v=spf1 mx -al"), "d.example");

    assertThat(finding.summary())
        .isEqualTo(
            "SPF permerror: syntax error in the record of d.example: unknown mechanism '-al'");
  }

  @Test
  void record_severalRecordsNameTheCount() {
    FakeDns dns = new FakeDns().txt("d.example", "v=spf1 -all").txt("d.example", "v=spf1 ~all");

    Finding finding = record(dns, "d.example");

    assertThat(finding.summary())
        .isEqualTo("SPF permerror: 2 SPF records at d.example, where RFC 7208 §4.5 allows one");
  }

  /** The summary of each permerror names its reason and the term that caused it. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=spf1 a:n1.d.example a:n2.d.example a:n3.d.example -all"
            + " | SPF permerror: 3 void lookups, the limit is 2; the 3rd is 'a:n3.d.example' in"
            + " the record of d.example (no address records at n3.d.example)",
        "v=spf1 include:loop.example -all"
            + " | SPF permerror: 'include:d.example' in the record of loop.example loops back to"
            + " d.example (d.example -> loop.example -> d.example, RFC 7208 §5.2)",
        "v=spf1 redirect=d.example"
            + " | SPF permerror: 'redirect=d.example' in the record of d.example loops back to"
            + " d.example (d.example -> d.example, RFC 7208 §6.1)",
        "v=spf1 include:bad.example -all"
            + " | SPF permerror: 'include:bad.example' in the record of d.example: syntax error in"
            + " the record of bad.example: unknown mechanism 'mxx'",
        "v=spf1 include:none.example -all"
            + " | SPF permerror: include:none.example has no SPF record (RFC 7208 §5.2: permerror)",
        "\"v=spf1 include:\""
            + " | SPF permerror: syntax error in the record of d.example: invalid mechanism"
            + " 'include:': the domain is empty"
      })
  void policy_permerrorNamesReasonAndTerm(String text, String summary) {
    FakeDns dns =
        new FakeDns()
            .txt("d.example", text)
            .txt("loop.example", "v=spf1 include:d.example -all")
            .txt("bad.example", "v=spf1 mxx -all")
            .add("none.example", "A", "192.0.2.1");

    Finding finding = policy(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).isEqualTo(summary);
  }

  @Test
  void policy_missingRecordFails() {
    Finding finding = policy(new FakeDns(), "d.example");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("no SPF policy");
  }

  @Test
  void policy_targetsTheDomain() {
    Finding finding = policy(new FakeDns().txt("d.example", "v=spf1 -all"), "d.example");

    assertThat(finding.target()).isEqualTo("d.example");
    assertThat(finding.check()).isEqualTo("auth.spf_policy");
  }
}
