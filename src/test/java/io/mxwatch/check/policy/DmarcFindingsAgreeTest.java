package io.mxwatch.check.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.FakeDns;
import io.mxwatch.check.policy.mtasts.FetchResult;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads the DMARC findings of one domain side by side: auth.dmarc, auth.dmarc_policy and
 * auth.dmarc_report_auth must tell the same story about which policy receivers apply.
 */
class DmarcFindingsAgreeTest {

  private static Map<String, Finding> scan(String domain, String... records) {
    FakeDns dns =
        new FakeDns().add(domain, "MX", "10 mx.d.example.").add("mx.d.example", "A", "192.0.2.1");
    for (String record : records) {
      dns.txt("_dmarc.d.example", record);
    }
    FetchResult none = new FetchResult.Failed("https://mta-sts.d.example/", true, "not used");
    return ModuleScan.scan(dns, domain, List.of(), (d, r, p) -> none);
  }

  private static void assertFinding(Finding finding, String status, String text) {
    assertThat(finding.status()).as(finding.summary()).isEqualTo(Status.fromWireName(status));
    assertThat(finding.summary()).contains(text);
  }

  /** Once one finding grades a policy, no other may state that none applies, and the reverse. */
  private static void assertAgree(Map<String, Finding> findings) {
    Finding policy = findings.get("auth.dmarc_policy");
    boolean noPolicy = policy.summary().contains("no DMARC policy applies");
    for (String check : List.of("auth.dmarc", "auth.dmarc_report_auth")) {
      Finding finding = findings.get(check);
      if (noPolicy) {
        assertThat(finding.summary()).as(check).doesNotContain("receivers treat it as p=");
      } else {
        assertThat(finding.summary()).as(check).doesNotContain("no DMARC policy");
        assertThat(finding.summary()).as(check).doesNotContain("apply no DMARC policy");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // record | auth.dmarc | auth.dmarc_policy | auth.dmarc_report_auth
        "v=DMARC1; rua=mailto:r@d.example | fail:but a valid rua, so receivers treat it as p=none"
            + " | fail:the DMARC policy is 'none' | pass:within the organizational domain",
        "v=DMARC1; sp=reject | fail:no valid p tag and no valid rua, so receivers apply no DMARC"
            + " policy | fail:no DMARC policy applies | not_applicable:receivers ignore",
        "v=DMARC1; p=bogus; rua=mailto:r@d.example | fail:p=bogus is invalid"
            + " | fail:the DMARC policy is 'none' | pass:within the organizational domain",
        "v=DMARC1; p=bogus | fail:p=bogus is invalid | fail:no DMARC policy applies"
            + " | not_applicable:receivers ignore",
        "v=DMARC1; p=reject; sp=bogus; rua=mailto:r@d.example | fail:an invalid sp tag but a"
            + " valid rua | fail:the DMARC policy is 'none' | pass:within the organizational"
            + " domain",
        "v=DMARC1; p=reject; sp=none; np=quarantine | pass:one valid DMARC record"
            + " | warn:sp=none is weaker than p=reject | info:requests no reports",
        "v=DMARC1; p=reject; pct=0 | pass:one valid DMARC record"
            + " | warn:pct=0 applies it to none of the failing mail | info:requests no reports",
        "v=DMARC1; p=quarantine; pct=0 | pass:one valid DMARC record"
            + " | warn:handle as p=none | info:requests no reports"
      })
  void ownRecord_findingsAgree(String record, String dmarc, String policy, String reports) {
    Map<String, Finding> findings = scan("d.example", record);

    assertFinding(findings.get("auth.dmarc"), dmarc.split(":", 2)[0], dmarc.split(":", 2)[1]);
    assertFinding(
        findings.get("auth.dmarc_policy"), policy.split(":", 2)[0], policy.split(":", 2)[1]);
    assertFinding(
        findings.get("auth.dmarc_report_auth"), reports.split(":", 2)[0], reports.split(":", 2)[1]);
    assertAgree(findings);
  }

  /** Returns the DMARC record quoted in an advice text. */
  private static String quotedRecord(String advice) {
    Matcher quoted = Pattern.compile("'(v=DMARC1[^']*)'").matcher(advice);
    assertThat(quoted.find()).as(advice).isTrue();
    return quoted.group(1);
  }

  private static Map<String, Finding> scanWorld(String mx, String spf, String... dmarc) {
    FakeDns dns = new FakeDns();
    if (mx != null) {
      dns.add("d.example", "MX", mx).add("mx.d.example", "A", "192.0.2.1");
    }
    if (spf != null) {
      dns.txt("d.example", spf);
    }
    for (String record : dmarc) {
      dns.txt("_dmarc.d.example", record);
    }
    FetchResult none = new FetchResult.Failed("https://mta-sts.d.example/", true, "not used");
    return ModuleScan.scan(dns, "d.example", List.of(), (d, r, p) -> none);
  }

  /** Following the advice of either finding for a missing record makes both of them pass. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sends mail | 10 mx.d.example. | v=spf1 mx -all | p=quarantine; rua=mailto:dmarc@d.example",
        "SPF -all only | 10 mx.d.example. | v=spf1 -all | p=reject",
        "null MX | 0 . | | p=reject",
        "no MX and no address | | v=spf1 ip4:192.0.2.1 -all | p=reject"
      })
  void noRecord_adviceOfEitherPassesBoth(String label, String mx, String spf, String policy) {
    Map<String, Finding> before = scanWorld(mx, spf);
    for (String check : List.of("auth.dmarc", "auth.dmarc_policy")) {
      assertThat(before.get(check).status()).as(check).isEqualTo(Status.FAIL);
      String advised = quotedRecord(before.get(check).advice());
      assertThat(advised).as(check).contains(policy);

      Map<String, Finding> after = scanWorld(mx, spf, advised);

      assertFinding(after.get("auth.dmarc"), "pass", "one valid DMARC record");
      assertThat(after.get("auth.dmarc_policy").status())
          .as(check + " advised " + advised + ": " + after.get("auth.dmarc_policy").summary())
          .isEqualTo(Status.PASS);
    }
  }

  @Test
  void invalidRuaAndUnknownTag_policyStaysInForce() {
    String badUri = "mailto:\"><img src=x>@x.test";
    Map<String, Finding> findings =
        scan("d.example", "v=DMARC1; p=reject; rua=" + badUri + "; x=\u001bjunk");

    assertFinding(findings.get("auth.dmarc"), "pass", "one valid DMARC record");
    assertFinding(findings.get("auth.dmarc_policy"), "pass", "p=reject applies to all");
    Finding reports = findings.get("auth.dmarc_report_auth");
    assertFinding(reports, "warn", "the rua tag has no usable destination");
    assertThat(reports.summary()).contains("'" + badUri + "'");
    assertThat(reports.summary()).doesNotContain("no rua or ruf");
    assertThat(reports.advice()).contains("mailto:");
    for (Finding finding : findings.values()) {
      assertThat(finding.summary()).as(finding.check()).doesNotContainPattern("\\p{Cntrl}");
    }
    assertAgree(findings);
  }

  @Test
  void oneInvalidRuaBesideValid_warnsNamingIt() {
    Map<String, Finding> findings =
        scan("d.example", "v=DMARC1; p=reject; rua=mailto:r@d.example,mailto:nobody");

    Finding reports = findings.get("auth.dmarc_report_auth");
    assertFinding(reports, "warn", "receivers skip the invalid URI 'mailto:nobody' in rua");
    assertThat(reports.summary()).doesNotContain("no usable destination");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"v=DMARC1; p=reject", "v=DMARC1; p=none; rua=mailto:r@d.example"})
  void twoRecords_noFindingGradesAPolicy(String second) {
    Map<String, Finding> findings = scan("d.example", "v=DMARC1; p=reject", second);

    assertFinding(findings.get("auth.dmarc"), "fail", "2 DMARC records at _dmarc.d.example");
    assertFinding(
        findings.get("auth.dmarc_policy"),
        "fail",
        "receivers use none of the 2 DMARC records at _dmarc.d.example");
    assertThat(findings.get("auth.dmarc_policy").advice()).contains("Keep exactly one");
    assertFinding(findings.get("auth.dmarc_report_auth"), "not_applicable", "no usable");
    assertAgree(findings);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "v=DMARC1; p=none; sp=reject | pass | sp=reject (inherited from _dmarc.d.example)",
        "v=DMARC1; p=reject | pass | p=reject (inherited from _dmarc.d.example)",
        "v=DMARC1; p=reject; sp=none | fail | the DMARC policy is 'none'"
      })
  void organizationalDomainOnly_findingsAgree(String record, String status, String text) {
    Map<String, Finding> findings = scan("mail.d.example", record);

    assertFinding(findings.get("auth.dmarc"), "pass", "inherited from the organizational domain");
    assertFinding(findings.get("auth.dmarc_policy"), status, text);
    assertFinding(findings.get("auth.dmarc_report_auth"), "info", "requests no reports");
    assertAgree(findings);
  }
}
