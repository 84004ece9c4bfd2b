package io.mxwatch.check.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.DnsNames;
import io.mxwatch.check.auth.FakeDns;
import io.mxwatch.check.policy.mtasts.FetchResult;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class PolicyChecksTest {
  private static final String URL = "https://mta-sts.example.com/.well-known/mta-sts.txt";

  private static FakeDns zone() {
    return new FakeDns()
        .add("example.com", "MX", "10 mx1.example.com.")
        .add("example.com", "MX", "20 backup.mail.example.net.")
        .add("mx1.example.com", "A", "192.0.2.25")
        .add("backup.mail.example.net", "A", "192.0.2.26")
        .txt("_mta-sts.example.com", "v=STSv1; id=20240101;");
  }

  private static MxResolution mx(FakeDns dns) {
    return MxResolver.resolve(Name.fromConstantString("example.com."), dns);
  }

  private static Finding mtaSts(FakeDns dns, FetchResult fetch) {
    DnsAnswer txt = DnsNames.query(dns, "_mta-sts.example.com", Type.TXT);
    return PolicyChecks.mtaSts("example.com", mx(dns), txt, fetch);
  }

  private static FetchResult policy(String mode, String... mx) {
    StringBuilder body = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
    for (String pattern : mx) {
      body.append("mx: ").append(pattern).append("\r\n");
    }
    body.append("max_age: 604800\r\n");
    return new FetchResult.Fetched(URL, "text/plain", body.toString());
  }

  @Test
  void mtaSts_enforceCoveringEveryMxPasses() {
    Finding finding = mtaSts(zone(), policy("enforce", "mx1.example.com", "*.mail.example.net"));

    assertThat(finding.status()).isEqualTo(Status.PASS);
  }

  @Test
  void mtaSts_enforceMissingAnMxFails() {
    Finding finding = mtaSts(zone(), policy("enforce", "mx1.example.com", "*.example.net"));

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("backup.mail.example.net");
    assertThat(finding.advice()).contains("exactly one more label");
  }

  @Test
  void mtaSts_testingWarns() {
    Finding finding = mtaSts(zone(), policy("testing", "mx1.example.com", "*.mail.example.net"));

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.advice()).contains("mode: enforce");
  }

  @Test
  void mtaSts_modeNoneIsInfo() {
    Finding finding = mtaSts(zone(), policy("none"));

    assertThat(finding.status()).isEqualTo(Status.INFO);
    assertThat(finding.summary()).contains("withdrawn");
  }

  @Test
  void mtaSts_shortMaxAgeWarns() {
    FetchResult fetch =
        new FetchResult.Fetched(
            URL,
            "text/plain; charset=utf-8",
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.mail.example.net\n"
                + "max_age: 300\n");

    Finding finding = mtaSts(zone(), fetch);

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.summary()).contains("max_age 300");
  }

  @Test
  void mtaSts_wrongContentTypeWarns() {
    FetchResult fetch =
        new FetchResult.Fetched(
            URL,
            "text/html",
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.mail.example.net\n"
                + "max_age: 604800\n");

    assertThat(mtaSts(zone(), fetch).status()).isEqualTo(Status.WARN);
  }

  @Test
  void mtaSts_missingContentTypeIsNamed() {
    FetchResult fetch =
        new FetchResult.Fetched(
            URL,
            null,
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.mail.example.net\n"
                + "max_age: 604800\n");

    Finding finding = mtaSts(zone(), fetch);

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.summary()).contains("without a Content-Type header");
    assertThat(finding.summary()).doesNotContain("null");
  }

  @Test
  void mtaSts_rawTlsErrorOnlyInDetails() {
    String raw =
        "javax.net.ssl.SSLHandshakeException: PKIX path building failed:"
            + " sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid"
            + " certification path to requested target";
    String reason =
        "the certificate of mta-sts.example.com is not trusted because its issuer is unknown: it"
            + " does not chain to a trusted root";
    FetchResult fetch = new FetchResult.Failed(URL, true, reason, raw);

    Finding finding = mtaSts(zone(), fetch);

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).endsWith(reason);
    assertThat(finding.summary()).doesNotContain("PKIX");
    assertThat(finding.details()).containsEntry("fetchErrorDetail", raw);
  }

  @Test
  void mtaSts_invalidPolicyFails() {
    FetchResult fetch = new FetchResult.Fetched(URL, "text/plain", "<html>Not found</html>");

    Finding finding = mtaSts(zone(), fetch);

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("invalid");
  }

  @ParameterizedTest
  @CsvSource({"true, fail", "false, error"})
  void mtaSts_fetchFailureGrades(boolean conclusive, String status) {
    FetchResult fetch = new FetchResult.Failed(URL, conclusive, "something went wrong");

    Finding finding = mtaSts(zone(), fetch);

    assertThat(finding.status()).isEqualTo(Status.fromWireName(status));
    assertThat(finding.summary()).contains("something went wrong");
  }

  @Test
  void mtaSts_noRecordIsInfo() {
    FakeDns dns = new FakeDns().add("example.com", "MX", "10 mx1.example.com.");

    Finding finding = mtaSts(dns, null);

    assertThat(finding.status()).isEqualTo(Status.INFO);
    assertThat(finding.advice()).contains("mx: mx1.example.com");
  }

  @Test
  void mtaSts_lookalikeRecordFails() {
    FakeDns dns =
        new FakeDns()
            .add("example.com", "MX", "10 mx1.example.com.")
            .txt("_mta-sts.example.com", "v=STSv1 id=1");

    Finding finding = mtaSts(dns, null);

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("exactly 'v=STSv1;'");
  }

  @Test
  void mtaSts_twoRecordsFail() {
    FakeDns dns = zone().txt("_mta-sts.example.com", "v=STSv1; id=2;");

    assertThat(mtaSts(dns, null).status()).isEqualTo(Status.FAIL);
  }

  @Test
  void mtaSts_invalidIdFails() {
    FakeDns dns =
        new FakeDns()
            .add("example.com", "MX", "10 mx1.example.com.")
            .txt("_mta-sts.example.com", "v=STSv1; id=2024-01-01;");

    assertThat(mtaSts(dns, null).status()).isEqualTo(Status.FAIL);
  }

  @Test
  void mtaSts_nullMxIsNotApplicable() {
    FakeDns dns = new FakeDns().add("example.com", "MX", "0 .");

    Finding finding = mtaSts(dns, null);

    assertThat(finding.status()).isEqualTo(Status.NOT_APPLICABLE);
  }

  @Test
  void mtaSts_txtTimeoutIsError() {
    FakeDns dns =
        new FakeDns()
            .add("example.com", "MX", "10 mx1.example.com.")
            .timeout("_mta-sts.example.com");

    assertThat(mtaSts(dns, null).status()).isEqualTo(Status.ERROR);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=TLSRPTv1; rua=mailto:tls@example.com | pass",
        "v=TLSRPTv1; rua=https://report.example.net/tls | pass",
        "v=TLSRPTv1; rua=tls@example.com | fail",
        "v=TLSRPTv1 rua=mailto:tls@example.com | fail",
        "v=tlsrptv1; rua=mailto:tls@example.com | fail"
      })
  void tlsRpt_grades(String record, String status) {
    FakeDns dns =
        new FakeDns()
            .add("example.com", "MX", "10 mx1.example.com.")
            .txt("_smtp._tls.example.com", record);
    DnsAnswer txt = DnsNames.query(dns, "_smtp._tls.example.com", Type.TXT);

    Finding finding = PolicyChecks.tlsRpt("example.com", mx(dns), txt);

    assertThat(finding.status()).isEqualTo(Status.fromWireName(status));
    if (finding.status() == Status.FAIL) {
      assertThat(finding.advice()).contains("v=TLSRPTv1; rua=mailto:");
    }
  }

  @Test
  void tlsRpt_missingIsInfo() {
    FakeDns dns = new FakeDns().add("example.com", "MX", "10 mx1.example.com.");
    DnsAnswer txt = DnsNames.query(dns, "_smtp._tls.example.com", Type.TXT);

    Finding finding = PolicyChecks.tlsRpt("example.com", mx(dns), txt);

    assertThat(finding.status()).isEqualTo(Status.INFO);
  }

  @Test
  void tlsRpt_nullMxIsNotApplicable() {
    FakeDns dns = new FakeDns().add("example.com", "MX", "0 .");
    DnsAnswer txt = DnsNames.query(dns, "_smtp._tls.example.com", Type.TXT);

    assertThat(PolicyChecks.tlsRpt("example.com", mx(dns), txt).status())
        .isEqualTo(Status.NOT_APPLICABLE);
  }
}
