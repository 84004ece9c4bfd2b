package io.mxwatch.check.policy;

import io.mxwatch.check.auth.AuthModule;
import io.mxwatch.check.policy.mtasts.PolicyFetcher;
import io.mxwatch.dns.Dns;
import io.mxwatch.model.Finding;
import io.mxwatch.scan.DomainSettings;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.scan.ScanOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/** Runs the auth and policy modules on one domain of an in-memory DNS, without SMTP probes. */
final class ModuleScan {
  private ModuleScan() {}

  /**
   * Scans {@code domain} (A-labels) and returns the findings by check id. Special-purpose addresses
   * are not allowed, so a policy host on loopback is rejected before any connection.
   */
  static Map<String, Finding> scan(
      Dns dns, String domain, List<String> selectors, PolicyFetcher fetcher) {
    ScanContext context =
        new ScanContext(
            Name.fromConstantString(domain + "."),
            domain,
            dns,
            ScanOptions.defaults(),
            new DomainSettings(selectors, List.of()),
            Clock.systemUTC(),
            null,
            null);
    List<Finding> findings = new ArrayList<>(new AuthModule().run(context));
    findings.addAll(new PolicyModule(fetcher).run(context));
    Map<String, Finding> byCheck = new LinkedHashMap<>();
    findings.forEach(f -> byCheck.put(f.check(), f));
    return byCheck;
  }
}
