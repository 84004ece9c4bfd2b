package io.mxwatch.check;

import io.mxwatch.check.cert.CertChecks;
import io.mxwatch.check.tls.TlsChecks;
import java.util.List;

/** Every check module, in the order their findings are computed. */
public final class CheckModules {
  private CheckModules() {}

  public static List<CheckModule> all() {
    return List.of(
        // One line per module.
        new TlsChecks(), new CertChecks());
  }
}
