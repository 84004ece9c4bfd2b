package io.mxwatch.check.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class DkimChecksTest {
  private static final String RFC8463_KEY =
      "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  private static Finding dkim(FakeDns dns, List<String> selectors) {
    return DkimChecks.dkim("example.com", false, DkimChecks.gather(dns, "example.com", selectors));
  }

  private static String rsa(int bits) {
    return TestKeys.rsaRecord(bits);
  }

  @Test
  void dkim_nxdomainFails() {
    Finding finding = dkim(new FakeDns().add("example.com", "A", "192.0.2.1"), List.of());

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("NXDOMAIN");
    assertThat(finding.advice()).contains("._domainkey.example.com");
  }

  @Test
  void dkim_withoutSelectorsIsInfoNotGraded() {
    FakeDns dns = new FakeDns().txt("s1._domainkey.example.com", RFC8463_KEY);

    Finding finding = dkim(dns, List.of());

    assertThat(finding.status()).isEqualTo(Status.INFO);
    assertThat(finding.summary()).contains("_domainkey.example.com exists");
    assertThat(finding.summary()).contains("no selector is registered, so no key was graded");
    assertThat(finding.advice()).contains("--dkim-selector");
    assertThat(finding.advice()).contains("dkimSelectors");
    assertThat(finding.advice()).contains("dashboard");
  }

  @Test
  void dkim_weakKeyAdviceSaysHowToRegister() {
    FakeDns dns = new FakeDns().longTxt("old._domainkey.example.com", rsa(1024));

    Finding finding = dkim(dns, List.of("old"));

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.advice()).doesNotContain("domain settings");
    assertThat(finding.advice()).contains("--dkim-selector");
    assertThat(finding.advice()).contains("dkimSelectors");
  }

  @Test
  void dkim_gradesEachSelectorAndReportsTheWorst() {
    FakeDns dns =
        new FakeDns()
            .longTxt("good._domainkey.example.com", rsa(2048))
            .longTxt("old._domainkey.example.com", rsa(1024));

    Finding finding = dkim(dns, List.of("good", "old"));

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.summary()).contains("old has a 1024-bit RSA key");
    assertThat((List<?>) finding.details().get("selectors")).hasSize(2);
  }

  @Test
  void dkim_rsaBelow1024Fails() {
    FakeDns dns = new FakeDns().longTxt("weak._domainkey.example.com", rsa(768));

    Finding finding = dkim(dns, List.of("weak"));

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("768-bit");
  }

  @Test
  void dkim_ed25519Passes() {
    FakeDns dns = new FakeDns().txt("ed._domainkey.example.com", RFC8463_KEY);

    Finding finding = dkim(dns, List.of("ed"));

    assertThat(finding.status()).isEqualTo(Status.PASS);
    assertThat(finding.summary()).contains("Ed25519");
  }

  @Test
  void dkim_revokedKeyFails() {
    FakeDns dns = new FakeDns().txt("gone._domainkey.example.com", "v=DKIM1; p=");

    Finding finding = dkim(dns, List.of("gone"));

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("revoked");
  }

  @Test
  void dkim_missingSelectorFails() {
    FakeDns dns = new FakeDns().txt("other._domainkey.example.com", RFC8463_KEY);

    Finding finding = dkim(dns, List.of("missing"));

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("no key at missing._domainkey.example.com");
  }

  @Test
  void dkim_followsCnameToProviderKey() {
    FakeDns dns =
        new FakeDns()
            .add("s1._domainkey.example.com", "CNAME", "s1.dkim.provider.example.")
            .longTxt("s1.dkim.provider.example", rsa(2048));

    Finding finding = dkim(dns, List.of("s1"));

    assertThat(finding.status()).isEqualTo(Status.PASS);
    assertThat(finding.summary()).contains("2048-bit RSA");
  }

  @Test
  void dkim_selectorBelowNxdomainParentWarns() {
    FakeDns dns =
        new FakeDns()
            .txt("s1._domainkey.example.com", RFC8463_KEY)
            .add("_domainkey.example.com", "CNAME", "missing.example.");

    Finding finding = dkim(dns, List.of("s1"));

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.summary()).contains("RFC 8020");
  }

  @Test
  void dkim_timeoutIsError() {
    Finding finding = dkim(new FakeDns().timeout("_domainkey.example.com"), List.of());

    assertThat(finding.status()).isEqualTo(Status.ERROR);
  }

  @Test
  void dkim_nonSendingDomainIsNotApplicable() {
    Finding finding =
        DkimChecks.dkim(
            "example.com", true, DkimChecks.gather(new FakeDns(), "example.com", List.of()));

    assertThat(finding.status()).isEqualTo(Status.NOT_APPLICABLE);
  }
}
