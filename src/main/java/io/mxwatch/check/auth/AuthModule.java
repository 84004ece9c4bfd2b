package io.mxwatch.check.auth;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.auth.dmarc.DmarcDiscovery;
import io.mxwatch.check.auth.dmarc.DmarcParser;
import io.mxwatch.check.auth.dmarc.DmarcRecord;
import io.mxwatch.check.auth.spf.SpfEvaluation;
import io.mxwatch.check.auth.spf.SpfEvaluator;
import io.mxwatch.check.auth.spf.SpfParser;
import io.mxwatch.check.auth.spf.SpfRecord;
import io.mxwatch.check.auth.spf.SpfSyntaxException;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.scan.ScanContext;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** SPF, DMARC and DKIM of the mail domain: gathers the DNS evidence and applies the rules. */
public final class AuthModule implements CheckModule {

  @Override
  public List<Check> checks() {
    return List.of(
        Check.AUTH_SPF,
        Check.AUTH_SPF_POLICY,
        Check.AUTH_DMARC,
        Check.AUTH_DMARC_POLICY,
        Check.AUTH_DMARC_REPORT_AUTH,
        Check.AUTH_DKIM);
  }

  @Override
  public List<Finding> run(ScanContext context) {
    String domain = context.domainText();
    boolean nullMx = context.mx().isNullMx();
    List<Finding> findings = new ArrayList<>();

    DnsAnswer txt = context.dns().query(context.domain(), Type.TXT);
    SpfChecks.SpfRecords spf = SpfChecks.SpfRecords.of(txt);
    findings.add(SpfChecks.record(domain, spf, nullMx));
    SpfEvaluation evaluation = SpfEvaluator.analyze(context.dns(), domain);
    findings.add(SpfChecks.policy(domain, spf, evaluation, nullMx));

    // A domain that cannot receive mail cannot receive bounces either, so it sends none.
    boolean sendsNoMail =
        nullMx || context.mx() instanceof MxResolution.NoMail || spfSendsNoMail(spf);
    DmarcDiscovery.Discovery discovery = DmarcDiscovery.discover(context.dns(), domain);
    findings.add(DmarcChecks.record(discovery, texts(txt), sendsNoMail));
    findings.add(DmarcChecks.policy(discovery, nullMx, sendsNoMail));
    DmarcRecord dmarc = discovery.record() == null ? null : DmarcParser.parse(discovery.record());
    List<DmarcChecks.Authorization> authorizations =
        dmarc == null ? List.of() : DmarcChecks.authorizations(context.dns(), discovery, dmarc);
    findings.add(DmarcChecks.reportAuthorization(discovery, dmarc, authorizations));

    boolean nonSending = isNonSending(spf, discovery, dmarc);
    DkimChecks.Evidence dkim =
        nonSending
            ? new DkimChecks.Evidence(txt, List.of())
            : DkimChecks.gather(context.dns(), domain, context.domainSettings().dkimSelectors());
    findings.add(DkimChecks.dkim(domain, nonSending, dkim));
    return findings;
  }

  /**
   * True for a domain that declares it sends no mail: its SPF record is {@code v=spf1 -all} with no
   * other mechanism, and its own DMARC policy is reject.
   */
  static boolean isNonSending(
      SpfChecks.SpfRecords spf, DmarcDiscovery.Discovery discovery, DmarcRecord dmarc) {
    if (dmarc == null || !spfSendsNoMail(spf)) {
      return false;
    }
    DmarcRecord.Policy policy =
        discovery.inherited() ? dmarc.effectiveSubdomainPolicy() : dmarc.effectivePolicy();
    return policy == DmarcRecord.Policy.REJECT;
  }

  /** True when the domain's one SPF record is {@code v=spf1 -all} with no other mechanism. */
  static boolean spfSendsNoMail(SpfChecks.SpfRecords spf) {
    String text = spf.single();
    if (text == null) {
      return false;
    }
    try {
      SpfRecord record = SpfParser.parse(text);
      return record.mechanisms().size() == 1
          && record.all().isPresent()
          && record.all().get().qualifier() == io.mxwatch.check.auth.spf.Qualifier.FAIL;
    } catch (SpfSyntaxException e) {
      return false;
    }
  }

  private static List<String> texts(DnsAnswer answer) {
    List<String> texts = new ArrayList<>();
    if (answer.found()) {
      for (TXTRecord record : answer.recordsAs(TXTRecord.class)) {
        texts.add(TxtStrings.join(record));
      }
    }
    return texts;
  }
}
