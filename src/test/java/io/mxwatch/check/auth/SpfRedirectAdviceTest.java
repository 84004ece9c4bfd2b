package io.mxwatch.check.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.spf.SpfEvaluator;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** A redirect hands the whole policy to another record, so advice must name that record. */
class SpfRedirectAdviceTest {

  private static Finding policy(FakeDns dns, String domain) {
    DnsAnswer txt = DnsNames.query(dns, domain, Type.TXT);
    return SpfChecks.policy(
        domain, SpfChecks.SpfRecords.of(txt), SpfEvaluator.analyze(dns, domain), false);
  }

  @Test
  void neutralAtRedirectTarget_adviceNamesTarget() {
    FakeDns dns =
        new FakeDns()
            .txt("d.example", "v=spf1 redirect=_spf.d.example")
            .txt("_spf.d.example", "v=spf1 ip4:192.0.2.0/24 ?all");

    Finding finding = policy(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary())
        .contains("('?all') in the record of _spf.d.example via redirect=_spf.d.example");
    assertThat(finding.advice())
        .contains("publish 'v=spf1 ip4:192.0.2.0/24 -all' at _spf.d.example")
        .doesNotContain("redirect=_spf.d.example -all");
  }

  @Test
  void senderDependentRedirect_isUnknownNotNeutral() {
    FakeDns dns = new FakeDns().txt("d.example", "v=spf1 redirect=%{l}.x.example");

    Finding finding = policy(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.summary()).contains("expanded from each sender's address");
    assertThat(finding.advice()).doesNotContain("-all'.").doesNotContain("%{l}.x.example -all");
  }

  @Test
  void neutralWithoutRedirect_adviceRewritesOwnRecord() {
    FakeDns dns = new FakeDns().txt("d.example", "v=spf1 ip4:192.0.2.1 ?all");

    Finding finding = policy(dns, "d.example");

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.advice()).contains("publish 'v=spf1 ip4:192.0.2.1 -all'.");
  }
}
