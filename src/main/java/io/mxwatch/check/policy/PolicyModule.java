package io.mxwatch.check.policy;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.auth.DnsNames;
import io.mxwatch.check.auth.TxtStrings;
import io.mxwatch.check.policy.mtasts.FetchResult;
import io.mxwatch.check.policy.mtasts.HttpsPolicyFetcher;
import io.mxwatch.check.policy.mtasts.MtaStsRecord;
import io.mxwatch.check.policy.mtasts.PolicyFetcher;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.Outcome;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.scan.ScanContext;
import java.util.List;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** MTA-STS and TLS-RPT of the mail domain. */
public final class PolicyModule implements CheckModule {
  private final PolicyFetcher fetcher;

  /**
   * Fetches policies on port 443 with the JDK's trust store.
   *
   * <p>TODO: read the trust store, timeouts and size limit of {@link HttpsPolicyFetcher.Settings}
   * from application configuration once the service wires check modules from config.
   */
  public PolicyModule() {
    this(new HttpsPolicyFetcher(HttpsPolicyFetcher.Settings.defaults()));
  }

  public PolicyModule(PolicyFetcher fetcher) {
    this.fetcher = fetcher;
  }

  @Override
  public List<Check> checks() {
    return List.of(Check.MTASTS_POLICY, Check.TLSRPT_RECORD);
  }

  @Override
  public List<Finding> run(ScanContext context) {
    String domain = context.domainText();
    MxResolution mx = context.mx();
    if (PolicyChecks.notApplicable(mx) != null) {
      // The rules return not_applicable before they read the lookups, so none is made.
      DnsAnswer none = DnsAnswer.failure(context.domain(), Type.TXT, Outcome.FAILED, "not queried");
      return List.of(
          PolicyChecks.mtaSts(domain, mx, none, null), PolicyChecks.tlsRpt(domain, mx, none));
    }

    DnsAnswer sts = DnsNames.query(context.dns(), "_mta-sts." + domain, Type.TXT);
    FetchResult fetch = null;
    if (hasSingleValidRecord(sts)) {
      fetch = fetcher.fetch(domain, context.dns(), context.addressPolicy());
    }
    DnsAnswer rpt = DnsNames.query(context.dns(), "_smtp._tls." + domain, Type.TXT);
    return List.of(
        PolicyChecks.mtaSts(domain, mx, sts, fetch), PolicyChecks.tlsRpt(domain, mx, rpt));
  }

  /** True when the TXT lookup found exactly one valid STS record, so a policy should be fetched. */
  private static boolean hasSingleValidRecord(DnsAnswer answer) {
    if (!answer.found()) {
      return false;
    }
    List<String> kept =
        answer.recordsAs(TXTRecord.class).stream()
            .map(TxtStrings::join)
            .filter(MtaStsRecord::isStsRecord)
            .toList();
    return kept.size() == 1 && MtaStsRecord.parse(kept.get(0)).valid();
  }
}
