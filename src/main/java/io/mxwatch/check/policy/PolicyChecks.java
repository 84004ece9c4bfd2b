package io.mxwatch.check.policy;

import io.mxwatch.check.auth.TxtStrings;
import io.mxwatch.check.policy.mtasts.FetchResult;
import io.mxwatch.check.policy.mtasts.MtaStsPolicy;
import io.mxwatch.check.policy.mtasts.MtaStsRecord;
import io.mxwatch.check.policy.tlsrpt.TlsRptRecord;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.TXTRecord;

/** The rules of {@code mtasts.policy} and {@code tlsrpt.record}. */
public final class PolicyChecks {
  private PolicyChecks() {}

  /**
   * A policy that expires within a day gives an attacker frequent refresh windows; RFC 8461 §3.2
   * expects max_age in the range of weeks.
   */
  static final long SHORT_MAX_AGE = 86_400;

  /** The TXT records at a name, split into those the RFC keeps and look-alikes. */
  record Records(List<String> kept, List<String> lookalikes) {}

  static Records records(
      DnsAnswer answer, String prefix, java.util.function.Predicate<String> kept) {
    List<String> keep = new ArrayList<>();
    List<String> lookalikes = new ArrayList<>();
    for (TXTRecord txt :
        answer.found() ? answer.recordsAs(TXTRecord.class) : List.<TXTRecord>of()) {
      String text = TxtStrings.join(txt);
      if (kept.test(text)) {
        keep.add(text);
      } else if (text.strip().toLowerCase(Locale.ROOT).replace(" ", "").startsWith(prefix)) {
        lookalikes.add(text);
      }
    }
    return new Records(keep, lookalikes);
  }

  /** Returns why MTA-STS does not apply to this MX resolution, or null when it does. */
  static String notApplicable(MxResolution mx) {
    return switch (mx) {
      case MxResolution.NullMx n -> "the domain has a null MX and receives no mail";
      case MxResolution.NoMail n -> "the domain receives no mail (no MX and no address)";
      default -> null;
    };
  }

  /**
   * {@code mtasts.policy}.
   *
   * @param txt the lookup of {@code _mta-sts.<domain>}
   * @param fetch the policy fetch, or null when no valid TXT record led to one
   */
  public static Finding mtaSts(String domain, MxResolution mx, DnsAnswer txt, FetchResult fetch) {
    Map<String, Object> details = new LinkedHashMap<>();
    String reason = notApplicable(mx);
    if (reason != null) {
      return finding(Check.MTASTS_POLICY, Status.NOT_APPLICABLE, domain, reason, details, null);
    }
    if (txt.inconclusive() || txt.bogus()) {
      return finding(
          Check.MTASTS_POLICY,
          Status.ERROR,
          domain,
          "could not look up _mta-sts." + domain + ": " + txt.describe(),
          details,
          null);
    }
    Records records = records(txt, "v=stsv1", MtaStsRecord::isStsRecord);
    details.put("records", records.kept().stream().map(TxtStrings::printable).toList());
    if (!records.lookalikes().isEmpty()) {
      details.put("ignored", records.lookalikes().stream().map(TxtStrings::printable).toList());
    }
    String publish =
        "Publish 'v=STSv1; id=<date or serial>;' at _mta-sts."
            + domain
            + " and serve the policy at https://mta-sts."
            + domain
            + "/.well-known/mta-sts.txt with a certificate valid for mta-sts."
            + domain
            + ", for example with the lines 'version: STSv1', 'mode: testing', "
            + mxLines(mx)
            + " and 'max_age: 604800'.";
    if (records.kept().isEmpty() && records.lookalikes().isEmpty()) {
      return finding(
          Check.MTASTS_POLICY,
          Status.INFO,
          domain,
          "no MTA-STS policy: senders may deliver without TLS when an attacker strips STARTTLS",
          details,
          publish);
    }
    if (records.kept().isEmpty()) {
      return finding(
          Check.MTASTS_POLICY,
          Status.FAIL,
          domain,
          "senders ignore the _mta-sts record '"
              + TxtStrings.printable(records.lookalikes().get(0))
              + "' because it does not begin with exactly 'v=STSv1;'",
          details,
          "Publish the record as 'v=STSv1; id=<serial>;' (case-sensitive, semicolon after the"
              + " version).");
    }
    if (records.kept().size() > 1) {
      return finding(
          Check.MTASTS_POLICY,
          Status.FAIL,
          domain,
          records.kept().size()
              + " MTA-STS records at _mta-sts."
              + domain
              + "; senders then assume there is no policy (RFC 8461 §3.1)",
          details,
          "Keep exactly one TXT record starting with 'v=STSv1;' at _mta-sts." + domain + ".");
    }
    MtaStsRecord record = MtaStsRecord.parse(records.kept().get(0));
    if (!record.valid()) {
      details.put("errors", record.errors());
      return finding(
          Check.MTASTS_POLICY,
          Status.FAIL,
          domain,
          "the _mta-sts record is invalid: " + String.join("; ", record.errors()),
          details,
          "Publish 'v=STSv1; id=<1 to 32 letters or digits>;' at _mta-sts." + domain + ".");
    }
    details.put("id", record.id());
    return mtaStsPolicy(domain, mx, fetch, details);
  }

  private static Finding mtaStsPolicy(
      String domain, MxResolution mx, FetchResult fetch, Map<String, Object> details) {
    details.put("url", fetch.url());
    if (fetch instanceof FetchResult.Failed failed) {
      details.put("fetchError", failed.reason());
      if (failed.detail() != null) {
        details.put("fetchErrorDetail", failed.detail());
      }
      if (!failed.conclusive()) {
        return finding(
            Check.MTASTS_POLICY,
            Status.ERROR,
            domain,
            "could not fetch the MTA-STS policy: " + failed.reason(),
            details,
            null);
      }
      return finding(
          Check.MTASTS_POLICY,
          Status.FAIL,
          domain,
          "the _mta-sts record announces a policy, but it cannot be fetched: " + failed.reason(),
          details,
          "Serve the policy with status 200 at "
              + fetch.url()
              + " over HTTPS with a publicly trusted certificate for mta-sts."
              + domain
              + ", without redirects, or remove the _mta-sts record.");
    }
    FetchResult.Fetched fetched = (FetchResult.Fetched) fetch;
    MtaStsPolicy policy = MtaStsPolicy.parse(fetched.body());
    details.put(
        "policy",
        fetched.body().length() > 2000 ? fetched.body().substring(0, 2000) : fetched.body());
    if (!policy.valid()) {
      details.put("errors", policy.errors());
      return finding(
          Check.MTASTS_POLICY,
          Status.FAIL,
          domain,
          "the MTA-STS policy is invalid: " + String.join("; ", policy.errors()),
          details,
          "Serve a policy of 'key: value' lines with version: STSv1, mode, max_age and one mx"
              + " line per MX host (RFC 8461 §3.2).");
    }
    details.put("mode", policy.mode().wireName());
    details.put("maxAge", policy.maxAge());
    details.put("mx", policy.mxPatterns());
    if (!policy.warnings().isEmpty()) {
      details.put("warnings", policy.warnings());
    }
    if (policy.mode() == MtaStsPolicy.Mode.NONE) {
      return finding(
          Check.MTASTS_POLICY,
          Status.INFO,
          domain,
          "the MTA-STS policy has mode none: the domain has withdrawn MTA-STS (RFC 8461 §8.3)",
          details,
          "To protect inbound mail again, serve mode: testing, check the TLS-RPT reports, then"
              + " mode: enforce.");
    }
    if (mx instanceof MxResolution.Unknown) {
      return finding(
          Check.MTASTS_POLICY,
          Status.ERROR,
          domain,
          "the policy is valid, but the MX lookup failed, so MX coverage cannot be checked",
          details,
          null);
    }

    List<String> uncovered = new ArrayList<>();
    for (MxTarget target : mx.targets()) {
      boolean covered =
          policy.mxPatterns().stream().anyMatch(p -> MtaStsPolicy.matches(p, target.host()));
      if (!covered) {
        uncovered.add(target.host());
      }
    }
    details.put("uncoveredMx", uncovered);
    String coverAdvice =
        "Add an mx line for each uncovered host ("
            + String.join(", ", uncovered)
            + "); a *.domain pattern covers exactly one more label.";
    if (policy.mode() == MtaStsPolicy.Mode.ENFORCE && !uncovered.isEmpty()) {
      return finding(
          Check.MTASTS_POLICY,
          Status.FAIL,
          domain,
          "mode enforce, but senders will not deliver to MX hosts the policy does not list: "
              + String.join(", ", uncovered),
          details,
          coverAdvice);
    }
    if (policy.mode() == MtaStsPolicy.Mode.TESTING) {
      return finding(
          Check.MTASTS_POLICY,
          Status.WARN,
          domain,
          "the MTA-STS policy is in testing mode: senders report failures but still deliver"
              + (uncovered.isEmpty() ? "" : "; not covered: " + String.join(", ", uncovered)),
          details,
          uncovered.isEmpty()
              ? "When the TLS-RPT reports show no failures, change the policy to mode: enforce"
                  + " and update the id in the _mta-sts record."
              : coverAdvice);
    }
    List<String> concerns = new ArrayList<>();
    if (policy.maxAge() < SHORT_MAX_AGE) {
      concerns.add("max_age " + policy.maxAge() + " s is under a day; RFC 8461 §3.2 expects weeks");
    }
    // NOTE: a Content-Type other than text/plain is graded warn, not fail, because senders differ
    // in whether they reject such a policy.
    if (fetched.contentType() == null) {
      concerns.add("the policy is served without a Content-Type header instead of text/plain");
    } else if (!fetched.contentType().startsWith("text/plain")) {
      concerns.add("the policy is served as '" + fetched.contentType() + "' instead of text/plain");
    }
    if (!concerns.isEmpty()) {
      return finding(
          Check.MTASTS_POLICY,
          Status.WARN,
          domain,
          "mode enforce covers every MX, but " + String.join("; ", concerns),
          details,
          "Serve the policy as text/plain with max_age of at least 604800 (one week).");
    }
    return finding(
        Check.MTASTS_POLICY,
        Status.PASS,
        domain,
        "MTA-STS mode enforce covers every MX host",
        details,
        null);
  }

  /** Returns the policy's mx lines for the domain's MX hosts, quoted and comma-separated. */
  private static String mxLines(MxResolution mx) {
    List<String> lines = new ArrayList<>();
    for (MxTarget target : mx.targets()) {
      lines.add("'mx: " + target.host() + "'");
    }
    return lines.isEmpty() ? "'mx: <your MX host>'" : String.join(", ", lines);
  }

  /** {@code tlsrpt.record}. */
  public static Finding tlsRpt(String domain, MxResolution mx, DnsAnswer txt) {
    Map<String, Object> details = new LinkedHashMap<>();
    String reason = notApplicable(mx);
    if (reason != null) {
      return finding(Check.TLSRPT_RECORD, Status.NOT_APPLICABLE, domain, reason, details, null);
    }
    if (txt.inconclusive() || txt.bogus()) {
      return finding(
          Check.TLSRPT_RECORD,
          Status.ERROR,
          domain,
          "could not look up _smtp._tls." + domain + ": " + txt.describe(),
          details,
          null);
    }
    Records records = records(txt, "v=tlsrptv1", TlsRptRecord::isTlsRptRecord);
    details.put("records", records.kept().stream().map(TxtStrings::printable).toList());
    if (!records.lookalikes().isEmpty()) {
      details.put("ignored", records.lookalikes().stream().map(TxtStrings::printable).toList());
    }
    String publish =
        "Publish 'v=TLSRPTv1; rua=mailto:tls-reports@" + domain + "' at _smtp._tls." + domain + ".";
    if (records.kept().isEmpty() && records.lookalikes().isEmpty()) {
      return finding(
          Check.TLSRPT_RECORD,
          Status.INFO,
          domain,
          "no TLS-RPT record: senders do not report TLS failures to this domain",
          details,
          publish);
    }
    if (records.kept().isEmpty()) {
      return finding(
          Check.TLSRPT_RECORD,
          Status.FAIL,
          domain,
          "senders ignore '"
              + TxtStrings.printable(records.lookalikes().get(0))
              + "' because it does not begin with exactly 'v=TLSRPTv1;'",
          details,
          publish);
    }
    if (records.kept().size() > 1) {
      return finding(
          Check.TLSRPT_RECORD,
          Status.FAIL,
          domain,
          records.kept().size()
              + " TLS-RPT records; senders then assume the domain has none (RFC 8460 §3)",
          details,
          "Keep exactly one record starting with 'v=TLSRPTv1;' at _smtp._tls." + domain + ".");
    }
    TlsRptRecord record = TlsRptRecord.parse(records.kept().get(0));
    if (!record.valid()) {
      details.put("errors", record.errors());
      return finding(
          Check.TLSRPT_RECORD,
          Status.FAIL,
          domain,
          "the TLS-RPT record is invalid: " + String.join("; ", record.errors()),
          details,
          publish);
    }
    details.put("rua", record.rua());
    return finding(
        Check.TLSRPT_RECORD,
        Status.PASS,
        domain,
        "TLS-RPT reports go to " + String.join(", ", record.rua()),
        details,
        null);
  }

  private static Finding finding(
      Check check,
      Status status,
      String target,
      String summary,
      Map<String, Object> details,
      String advice) {
    return new Finding(check.id(), status, target, summary, details, advice);
  }
}
