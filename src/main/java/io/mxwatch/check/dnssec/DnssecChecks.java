package io.mxwatch.check.dnssec;

import static io.mxwatch.check.Findings.finding;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.Findings;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.ScanContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Type;

/** {@code dnssec.domain} and {@code dnssec.mx_zone}: is each name's zone signed and valid. */
public final class DnssecChecks implements CheckModule {

  @Override
  public List<Check> checks() {
    return List.of(Check.DNSSEC_DOMAIN, Check.DNSSEC_MX_ZONE);
  }

  @Override
  public List<Finding> run(ScanContext context) {
    List<Finding> findings = new ArrayList<>();
    String domain = context.domainText();
    // The SOA lookup answers from the zone that holds the domain, or proves with NSEC that the
    // name has no SOA: either way its security status is that of the domain's zone.
    findings.add(
        grade(Check.DNSSEC_DOMAIN, domain, context.dns().query(context.domain(), Type.SOA)));

    MxResolution mx = context.mx();
    if (mx.targets().isEmpty()) {
      findings.add(Findings.withoutServers(Check.DNSSEC_MX_ZONE, domain, mx));
      return findings;
    }
    for (MxTarget target : mx.targets()) {
      // The address lookups of the MX host carry the status of its zone, CNAMEs included.
      DnsAnswer answer = target.ipv4().inconclusive() ? target.ipv6() : target.ipv4();
      findings.add(grade(Check.DNSSEC_MX_ZONE, target.host(), answer));
    }
    return findings;
  }

  /** The verdict for one answer: secure passes, insecure and bogus fail, failures are errors. */
  public static Finding grade(Check check, String target, DnsAnswer answer) {
    Map<String, Object> details = Findings.details(answer);
    if (answer.bogus()) {
      return finding(
          check,
          Status.FAIL,
          target,
          "DNSSEC is broken (bogus): " + answer.reason(),
          details,
          advice(answer));
    }
    if (answer.inconclusive()) {
      return Findings.lookupError(check, target, answer);
    }
    return switch (answer.security()) {
      case SECURE ->
          finding(check, Status.PASS, target, "signed and valid (secure)", details, null);
      case INSECURE ->
          finding(
              check,
              Status.FAIL,
              target,
              "not signed with DNSSEC (insecure)",
              details,
              "Sign the zone and publish its DS record in the parent zone.");
      case INDETERMINATE ->
          finding(
              check,
              Status.ERROR,
              target,
              "no trust anchor covers this name, so DNSSEC cannot be validated",
              details,
              null);
      case BOGUS -> throw new IllegalStateException("handled above");
    };
  }

  private static String advice(DnsAnswer answer) {
    return switch (answer.edeCode()) {
      case org.xbill.DNS.ExtendedErrorCodeOption.SIGNATURE_EXPIRED ->
          "Re-sign the zone: its signatures have expired. Check that the signer runs and that"
              + " signatures are refreshed well before they expire.";
      case org.xbill.DNS.ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID ->
          "Check the clock of the signing host: the signatures are not valid yet.";
      case org.xbill.DNS.ExtendedErrorCodeOption.DNSKEY_MISSING ->
          "Make the DS record in the parent zone match a DNSKEY the zone publishes (after a key"
              + " rollover, update the DS at the registrar).";
      case org.xbill.DNS.ExtendedErrorCodeOption.RRSIGS_MISSING ->
          "Serve the zone's signatures (RRSIG records), or remove the DS from the parent zone"
              + " if the zone should be unsigned.";
      default -> "Fix the zone's DNSSEC signatures or the DS record in the parent zone.";
    };
  }
}
