package io.mxwatch.check.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.FakeDns;
import io.mxwatch.check.policy.mtasts.HttpsPolicyFetcher;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A lookup that fails (SERVFAIL or timeout) makes the checks that depend on it inconclusive: they
 * report {@code error} with the failed lookup, never a missing record or a fail.
 */
class LookupFailureTest {
  private static final String ED25519 =
      "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  /** A domain on which every lookup of the auth and policy checks finds its record. */
  private static FakeDns world() {
    return new FakeDns()
        .add("d.example", "MX", "10 mx.d.example.")
        .add("mx.d.example", "A", "192.0.2.1")
        .txt("d.example", "v=spf1 include:_spf.d.example a:relay.d.example mx -all")
        .txt("_spf.d.example", "v=spf1 ip4:192.0.2.0/24 -all")
        .add("relay.d.example", "A", "192.0.2.2")
        .txt("_dmarc.d.example", "v=DMARC1; p=reject; rua=mailto:d@reports.example.net")
        .txt("d.example._report._dmarc.reports.example.net", "v=DMARC1")
        .txt("s1._domainkey.d.example", ED25519)
        .txt("_mta-sts.d.example", "v=STSv1; id=20240101;")
        .add("mta-sts.d.example", "A", "127.0.0.1")
        .txt("_smtp._tls.d.example", "v=TLSRPTv1; rua=mailto:tls@d.example");
  }

  private static FakeDns fault(FakeDns dns, String fault, String owner, String type) {
    return fault.equals("SERVFAIL") ? dns.servfail(owner, type) : dns.timeout(owner, type);
  }

  private static Map<String, Finding> scan(FakeDns dns, String domain) {
    HttpsPolicyFetcher fetcher = new HttpsPolicyFetcher(HttpsPolicyFetcher.Settings.defaults());
    return ModuleScan.scan(dns, domain, List.of("s1"), fetcher);
  }

  private static void assertError(Finding finding, String fault, String name) {
    assertThat(finding.status()).as(finding.summary()).isEqualTo(Status.ERROR);
    assertThat(finding.summary()).contains(name);
    assertThat(finding.summary()).contains(fault);
    assertThat(finding.advice()).isNull();
  }

  @ParameterizedTest(name = "{0} {2} {3} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SERVFAIL | auth.spf | d.example | TXT",
        "TIMEOUT | auth.spf | d.example | TXT",
        "SERVFAIL | auth.spf_policy | d.example | TXT",
        "SERVFAIL | auth.spf_policy | _spf.d.example | TXT",
        "TIMEOUT | auth.spf_policy | _spf.d.example | TXT",
        "SERVFAIL | auth.spf_policy | relay.d.example | A",
        "TIMEOUT | auth.spf_policy | relay.d.example | AAAA",
        "SERVFAIL | auth.spf_policy | mx.d.example | A",
        "SERVFAIL | auth.dmarc | _dmarc.d.example | TXT",
        "TIMEOUT | auth.dmarc | _dmarc.d.example | TXT",
        "SERVFAIL | auth.dmarc_policy | _dmarc.d.example | TXT",
        "TIMEOUT | auth.dmarc_policy | _dmarc.d.example | TXT",
        "SERVFAIL | auth.dmarc_report_auth | _dmarc.d.example | TXT",
        "TIMEOUT | auth.dmarc_report_auth | _dmarc.d.example | TXT",
        "SERVFAIL | auth.dmarc_report_auth | d.example._report._dmarc.reports.example.net | TXT",
        "TIMEOUT | auth.dmarc_report_auth | d.example._report._dmarc.reports.example.net | TXT",
        "SERVFAIL | auth.dkim | _domainkey.d.example | TXT",
        "TIMEOUT | auth.dkim | _domainkey.d.example | TXT",
        "SERVFAIL | auth.dkim | s1._domainkey.d.example | TXT",
        "TIMEOUT | auth.dkim | s1._domainkey.d.example | TXT",
        "SERVFAIL | mtasts.policy | _mta-sts.d.example | TXT",
        "TIMEOUT | mtasts.policy | _mta-sts.d.example | TXT",
        "SERVFAIL | mtasts.policy | mta-sts.d.example | A",
        "TIMEOUT | mtasts.policy | mta-sts.d.example | A",
        "SERVFAIL | tlsrpt.record | _smtp._tls.d.example | TXT",
        "TIMEOUT | tlsrpt.record | _smtp._tls.d.example | TXT"
      })
  void failedLookup_isError(String fault, String check, String owner, String type) {
    FakeDns dns = fault(world(), fault, owner, type);

    Finding finding = scan(dns, "d.example").get(check);

    assertError(finding, fault, owner);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"SERVFAIL", "TIMEOUT"})
  void failedLookup_ofRedirectTargetIsError(String fault) {
    FakeDns dns = world();
    dns.txt("r.example", "v=spf1 redirect=_spf.r.example")
        .add("r.example", "MX", "10 mx.d.example.");
    fault(dns, fault, "_spf.r.example", "TXT");

    Finding finding = scan(dns, "r.example").get("auth.spf_policy");

    assertError(finding, fault, "_spf.r.example");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"SERVFAIL", "TIMEOUT"})
  void failedLookup_atOrganizationalDomainIsError(String fault) {
    // _dmarc.mail.d.example does not exist, so discovery moves on to _dmarc.d.example.
    FakeDns dns = world().add("mail.d.example", "MX", "10 mx.d.example.");
    fault(dns, fault, "_dmarc.d.example", "TXT");

    Map<String, Finding> findings = scan(dns, "mail.d.example");

    assertError(findings.get("auth.dmarc"), fault, "_dmarc.d.example");
    assertError(findings.get("auth.dmarc_policy"), fault, "_dmarc.d.example");
    assertError(findings.get("auth.dmarc_report_auth"), fault, "_dmarc.d.example");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"SERVFAIL", "TIMEOUT"})
  void failedLookup_ofSelectorBelowNxdomainIsError(String fault) {
    // Without any key, _domainkey.n.example is NXDOMAIN; the selector lookup still decides.
    FakeDns dns =
        new FakeDns()
            .add("n.example", "MX", "10 mx.n.example.")
            .add("mx.n.example", "A", "192.0.2.3");
    fault(dns, fault, "s1._domainkey.n.example", "TXT");

    Finding finding = scan(dns, "n.example").get("auth.dkim");

    assertError(finding, fault, "s1._domainkey.n.example");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"SERVFAIL", "TIMEOUT"})
  void failedLookup_besideMissingAuthorizationIsNamed(String fault) {
    FakeDns dns = world();
    dns.txt(
        "_dmarc.m.example",
        "v=DMARC1; p=reject; rua=mailto:a@missing.example.net,mailto:b@slow.example.net");
    fault(dns, fault, "m.example._report._dmarc.slow.example.net", "TXT");

    Finding finding = scan(dns, "m.example").get("auth.dmarc_report_auth");

    // The missing record is proven, so the finding warns, and it names the failed lookup too.
    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.summary()).contains("m.example._report._dmarc.missing.example.net");
    assertThat(finding.summary()).contains("m.example._report._dmarc.slow.example.net");
    assertThat(finding.summary()).contains(fault);
  }
}
