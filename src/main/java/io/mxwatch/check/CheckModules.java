package io.mxwatch.check;

import io.mxwatch.check.auth.AuthModule;
import io.mxwatch.check.cert.CertChecks;
import io.mxwatch.check.dane.DaneChecks;
import io.mxwatch.check.dnssec.AlgorithmChecks;
import io.mxwatch.check.dnssec.DnssecChecks;
import io.mxwatch.check.dnssec.SignatureExpiryChecks;
import io.mxwatch.check.ipv6.NameServerIpv6Checks;
import io.mxwatch.check.mx.MxChecks;
import io.mxwatch.check.policy.PolicyModule;
import io.mxwatch.check.smtp.SmtpChecks;
import io.mxwatch.check.tls.TlsChecks;
import java.util.List;

/** Every check module, in the order their findings are computed. */
public final class CheckModules {
  private CheckModules() {}

  public static List<CheckModule> all() {
    return List.of(
        new MxChecks(),
        new NameServerIpv6Checks(),
        new DnssecChecks(),
        new SignatureExpiryChecks(),
        new AlgorithmChecks(),
        new AuthModule(),
        new PolicyModule(),
        new SmtpChecks(),
        new TlsChecks(),
        new CertChecks(),
        new DaneChecks());
  }
}
