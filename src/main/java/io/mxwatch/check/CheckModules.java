package io.mxwatch.check;

import io.mxwatch.check.auth.AuthModule;
import io.mxwatch.check.policy.PolicyModule;
import java.util.List;

/** Every check module, in the order their findings are computed. */
public final class CheckModules {
  private CheckModules() {}

  public static List<CheckModule> all() {
    return List.of(new AuthModule(), new PolicyModule());
  }
}
