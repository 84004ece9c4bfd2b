package io.mxwatch.check.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.dmarc.DmarcDiscovery;
import io.mxwatch.check.auth.dmarc.DmarcParser;
import io.mxwatch.check.auth.dmarc.DmarcRecord;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DmarcChecksTest {

  private static Finding record(FakeDns dns, String domain) {
    return DmarcChecks.record(DmarcDiscovery.discover(dns, domain), List.of());
  }

  private static Finding policy(FakeDns dns, String domain) {
    return DmarcChecks.policy(DmarcDiscovery.discover(dns, domain), false);
  }

  private static Finding reports(FakeDns dns, String domain) {
    DmarcDiscovery.Discovery discovery = DmarcDiscovery.discover(dns, domain);
    DmarcRecord record = DmarcParser.parse(discovery.record());
    return DmarcChecks.reportAuthorization(
        discovery, record, DmarcChecks.authorizations(dns, discovery, record));
  }

  @Test
  void record_foundAtDomainPasses() {
    FakeDns dns = new FakeDns().txt("_dmarc.example.com", "v=DMARC1; p=reject");

    Finding finding = record(dns, "example.com");

    assertThat(finding.status()).isEqualTo(Status.PASS);
    assertThat(finding.summary()).contains("at _dmarc.example.com");
  }

  @Test
  void record_inheritedFromOrganizationalDomain() {
    FakeDns dns = new FakeDns().txt("_dmarc.example.co.uk", "v=DMARC1; p=reject");

    Finding finding = record(dns, "mail.example.co.uk");

    assertThat(finding.status()).isEqualTo(Status.PASS);
    assertThat(finding.summary()).contains("inherited");
  }

  @Test
  void record_severalAtDomainFailWithoutFallback() {
    FakeDns dns =
        new FakeDns()
            .txt("_dmarc.sub.example.com", "v=DMARC1; p=reject")
            .txt("_dmarc.sub.example.com", "v=DMARC1; p=none")
            .txt("_dmarc.example.com", "v=DMARC1; p=reject");

    Finding finding = record(dns, "sub.example.com");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("2 DMARC records at _dmarc.sub.example.com");
  }

  @Test
  void record_discardsOtherTxtBeforeCounting() {
    FakeDns dns =
        new FakeDns()
            .txt("_dmarc.example.com", "some verification token")
            .txt("_dmarc.example.com", "v=DMARC1; p=quarantine");

    assertThat(record(dns, "example.com").status()).isEqualTo(Status.PASS);
  }

  @Test
  void record_lowercaseVersionIsIgnoredAndExplained() {
    FakeDns dns = new FakeDns().txt("_dmarc.example.com", "v=dmarc1; p=reject");

    Finding finding = record(dns, "example.com");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("exactly 'v=DMARC1'");
  }

  @Test
  void record_publishedAtDomainItselfIsExplained() {
    FakeDns dns = new FakeDns();

    Finding finding =
        DmarcChecks.record(
            DmarcDiscovery.discover(dns, "example.com"), List.of("v=DMARC1; p=reject"));

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("published at example.com itself");
  }

  @Test
  void record_invalidTagFails() {
    FakeDns dns = new FakeDns().txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=150");

    Finding finding = record(dns, "example.com");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("pct=150");
    assertThat(finding.advice()).contains("v=DMARC1");
  }

  @Test
  void record_timeoutIsError() {
    FakeDns dns = new FakeDns().timeout("_dmarc.example.com");

    assertThat(record(dns, "example.com").status()).isEqualTo(Status.ERROR);
  }

  @Test
  void record_missingFailsWithAdvice() {
    Finding finding = record(new FakeDns(), "www.example.com");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("_dmarc.example.com");
    assertThat(finding.advice()).contains("_dmarc.www.example.com");
  }

  @Test
  void record_idnDomainQueriedInALabels() {
    FakeDns dns = new FakeDns().txt("_dmarc.xn--bcher-kva.de", "v=DMARC1; p=reject");

    assertThat(record(dns, "mail.xn--bcher-kva.de").status()).isEqualTo(Status.PASS);
  }

  /** The verdict table of auth.dmarc_policy, for a record at the domain itself. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=DMARC1; p=reject | pass | p=reject",
        "v=DMARC1; p=quarantine | pass | p=quarantine",
        "v=DMARC1; p=none; rua=mailto:d@example.com | fail | 'none'",
        "v=DMARC1; rua=mailto:d@example.com | fail | no valid p tag but a valid rua",
        "v=DMARC1; sp=reject | fail | no valid p tag and no valid rua",
        "v=DMARC1; p=reject; pct=50 | warn | pct=50",
        "v=DMARC1; p=quarantine; pct=100 | pass | p=quarantine",
        "v=DMARC1; p=reject; t=y | warn | t=y",
        "v=DMARC1; p=reject; sp=none | warn | sp=none is weaker than p=reject",
        "v=DMARC1; p=reject; sp=quarantine | warn | sp=quarantine is weaker",
        "v=DMARC1; p=reject; np=none | warn | np=none is weaker",
        "v=DMARC1; p=quarantine; sp=reject | pass | p=quarantine"
      })
  void policy_grades(String text, String status, String summary) {
    FakeDns dns = new FakeDns().txt("_dmarc.example.com", text);

    Finding finding = policy(dns, "example.com");

    assertThat(finding.status()).isEqualTo(Status.fromWireName(status));
    assertThat(finding.summary()).contains(summary);
    if (finding.status() != Status.PASS) {
      assertThat(finding.advice()).isNotBlank();
    }
  }

  @Test
  void policy_inheritedUsesSubdomainPolicy() {
    FakeDns dns = new FakeDns().txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=none");

    Finding finding = policy(dns, "mail.example.com");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.details()).containsEntry("effectivePolicy", "none");
  }

  @Test
  void policy_reportsTagsInDetails() {
    FakeDns dns =
        new FakeDns()
            .txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; pct=80; np=reject");

    Finding finding = policy(dns, "example.com");

    assertThat(finding.details())
        .containsEntry("p", "reject")
        .containsEntry("sp", "quarantine")
        .containsEntry("pct", 80)
        .containsEntry("np", "reject");
  }

  @Test
  void policy_nullMxDomainShouldReject() {
    FakeDns dns = new FakeDns().txt("_dmarc.example.com", "v=DMARC1; p=quarantine");

    Finding finding = DmarcChecks.policy(DmarcDiscovery.discover(dns, "example.com"), true);

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.summary()).contains("p=reject");
  }

  @Test
  void reports_externalWithoutAuthorizationWarns() {
    // RFC 7489 Appendix B.2.2: the third party must publish a record for example.com.
    FakeDns dns =
        new FakeDns()
            .txt(
                "_dmarc.example.com",
                "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com;"
                    + " ruf=mailto:auth-reports@thirdparty.example.net");

    Finding finding = reports(dns, "example.com");

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.summary()).contains("example.com._report._dmarc.thirdparty.example.net");
  }

  @Test
  void reports_externalWithAuthorizationPasses() {
    FakeDns dns =
        new FakeDns()
            .txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:r@thirdparty.example.net")
            .txt("example.com._report._dmarc.thirdparty.example.net", "v=DMARC1");

    assertThat(reports(dns, "example.com").status()).isEqualTo(Status.PASS);
  }

  @Test
  void reports_wildcardAuthorizationCounts() {
    FakeDns dns =
        new FakeDns()
            .txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:r@reports.example.net")
            .txt("*._report._dmarc.reports.example.net", "v=DMARC1");

    assertThat(reports(dns, "example.com").status()).isEqualTo(Status.PASS);
  }

  @Test
  void reports_sameOrganizationalDomainNeedsNoRecord() {
    FakeDns dns =
        new FakeDns()
            .txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:r@reports.example.com");

    Finding finding = reports(dns, "example.com");

    assertThat(finding.status()).isEqualTo(Status.PASS);
    assertThat(dns.queries()).isEqualTo(1);
  }

  @Test
  void reports_inheritedRecordAuthorizesForOrganizationalDomain() {
    FakeDns dns =
        new FakeDns()
            .txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:r@thirdparty.example")
            .txt("example.com._report._dmarc.thirdparty.example", "v=DMARC1");

    assertThat(reports(dns, "mail.example.com").status()).isEqualTo(Status.PASS);
  }

  @Test
  void reports_timeoutIsError() {
    FakeDns dns =
        new FakeDns()
            .txt("_dmarc.example.com", "v=DMARC1; p=none; rua=mailto:r@thirdparty.example")
            .timeout("example.com._report._dmarc.thirdparty.example");

    assertThat(reports(dns, "example.com").status()).isEqualTo(Status.ERROR);
  }

  @Test
  void reports_noDestinationsIsInfo() {
    FakeDns dns = new FakeDns().txt("_dmarc.example.com", "v=DMARC1; p=reject");

    Finding finding = reports(dns, "example.com");

    assertThat(finding.status()).isEqualTo(Status.INFO);
    assertThat(finding.advice()).contains("rua=mailto:");
  }
}
