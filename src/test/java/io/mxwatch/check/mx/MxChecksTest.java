package io.mxwatch.check.mx;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.FakeDns;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxResolver;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class MxChecksTest {

  @Test
  void cnameTarget_adviceNamesCanonicalNameWithoutTrailingDot() {
    FakeDns dns =
        new FakeDns()
            .add("d.example", "MX", "10 alias.d.example.")
            .add("alias.d.example", "CNAME", "real.cname.test.")
            .add("real.cname.test", "A", "192.0.2.1");
    MxResolution mx = MxResolver.resolve(Name.fromConstantString("d.example."), dns);

    Finding finding = MxChecks.target(mx.targets().get(0));

    assertThat(finding.status()).isEqualTo(Status.WARN);
    assertThat(finding.advice()).endsWith("the canonical name real.cname.test.");
    assertThat(finding.advice()).doesNotContain("..");
    assertThat(finding.details().get("cnames")).isEqualTo(List.of("real.cname.test"));
  }

  @Test
  void domainAliasOfMissingName_namesTheAlias() {
    FakeDns dns = new FakeDns().add("d.example", "CNAME", "gone.example.");
    MxResolution mx = MxResolver.resolve(Name.fromConstantString("d.example."), dns);

    Finding finding = MxChecks.present("d.example", mx);

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary())
        .isEqualTo(
            "the domain is an alias (CNAME) of gone.example, which does not exist (NXDOMAIN)");
    assertThat(mx.domainMissing()).isTrue();
  }

  @Test
  void missingDomain_saysItDoesNotExist() {
    MxResolution mx = MxResolver.resolve(Name.fromConstantString("d.example."), new FakeDns());

    Finding finding = MxChecks.present("d.example", mx);

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).isEqualTo("the domain does not exist (NXDOMAIN)");
    assertThat(mx.domainMissing()).isTrue();
  }
}
