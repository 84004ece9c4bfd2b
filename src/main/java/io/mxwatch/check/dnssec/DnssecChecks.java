package io.mxwatch.check.dnssec;

import static io.mxwatch.check.Findings.finding;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.Findings;
import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.Security;
import io.mxwatch.dns.ZoneApex;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.ScanContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** {@code dnssec.domain} and {@code dnssec.mx_zone}: is each name's zone signed and valid. */
public final class DnssecChecks implements CheckModule {

  /**
   * Why a zone is insecure, read from its delegation.
   *
   * @param apex the zone apex
   * @param ds the DS lookup at the apex (answered by the parent zone)
   * @param dnskey the DNSKEY lookup at the apex
   */
  public record Delegation(Name apex, DnsAnswer ds, DnsAnswer dnskey) {}

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
    DnsAnswer soa = context.dns().query(context.domain(), Type.SOA);
    findings.add(
        grade(Check.DNSSEC_DOMAIN, domain, soa, delegation(context.dns(), context.domain(), soa)));

    MxResolution mx = context.mx();
    if (mx.targets().isEmpty()) {
      findings.add(Findings.withoutServers(Check.DNSSEC_MX_ZONE, domain, mx));
      return findings;
    }
    for (MxTarget target : mx.targets()) {
      // The address lookups of the MX host carry the status of its zone, CNAMEs included.
      DnsAnswer answer = target.ipv4().inconclusive() ? target.ipv6() : target.ipv4();
      Delegation delegation = delegation(context.dns(), answer.canonicalName(), answer);
      findings.add(grade(Check.DNSSEC_MX_ZONE, target.host(), answer, delegation));
    }
    return findings;
  }

  /**
   * Reads the delegation of an insecure answer's zone, so the finding can tell an unsigned zone
   * from a signed one whose DS is missing or unusable. Returns null for other answers.
   */
  static Delegation delegation(Dns dns, Name name, DnsAnswer answer) {
    if (answer.security() != Security.INSECURE || answer.inconclusive()) {
      return null;
    }
    ZoneApex zone = ZoneApex.of(dns, name);
    if (!zone.found() || zone.apex().equals(Name.root)) {
      return null;
    }
    return new Delegation(
        zone.apex(), dns.query(zone.apex(), Type.DS), dns.query(zone.apex(), Type.DNSKEY));
  }

  /** The verdict for one answer, without the delegation that explains an insecure zone. */
  public static Finding grade(Check check, String target, DnsAnswer answer) {
    return grade(check, target, answer, null);
  }

  /** The verdict for one answer: secure passes, insecure and bogus fail, failures are errors. */
  public static Finding grade(Check check, String target, DnsAnswer answer, Delegation delegation) {
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
      case INSECURE -> insecure(check, target, details, delegation);
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

  private static Finding insecure(
      Check check, String target, Map<String, Object> details, Delegation delegation) {
    if (delegation != null) {
      details.put("zone", MxResolution.text(delegation.apex()));
      // Only a secure DS answer from the parent pins the break at this delegation; when the parent
      // is insecure itself, the chain of trust ended higher up.
      boolean parentSecure = delegation.ds().security() == Security.SECURE;
      List<DSRecord> ds = delegation.ds().recordsAs(DSRecord.class);
      if (parentSecure && !ds.isEmpty()) {
        // RFC 6840 §5.2: a DS RRset with no supported algorithm or digest makes the zone
        // insecure, not bogus. Validators differ in what they support, so name the values.
        List<String> used = ds.stream().map(DnssecChecks::describeDs).distinct().toList();
        details.put("ds", used);
        return finding(
            check,
            Status.FAIL,
            target,
            "insecure: the DS records of "
                + MxResolution.text(delegation.apex())
                + " use only algorithms or digest types that validators do not support ("
                + String.join(", ", used)
                + "), so they treat the zone as unsigned (RFC 6840 §5.2)",
            details,
            "Sign the zone with ECDSAP256SHA256 (13) or ED25519 (15), publish a DS with"
                + " digest type 2 (SHA-256) in the parent zone, then remove the old DS.");
      }
      if (parentSecure && delegation.ds().absent() && delegation.dnskey().found()) {
        return finding(
            check,
            Status.FAIL,
            target,
            "insecure: "
                + MxResolution.text(delegation.apex())
                + " publishes DNSKEY records but the parent zone has no DS record for it,"
                + " so the chain of trust is broken",
            details,
            "Publish the DS record of the zone's key-signing key in the parent zone (usually at"
                + " the registrar).");
      }
    }
    return finding(
        check,
        Status.FAIL,
        target,
        "not signed with DNSSEC (insecure)",
        details,
        "Sign the zone and publish its DS record in the parent zone.");
  }

  private static String describeDs(DSRecord ds) {
    return "algorithm "
        + ds.getAlgorithm()
        + " ("
        + org.xbill.DNS.DNSSEC.Algorithm.string(ds.getAlgorithm())
        + "), digest type "
        + ds.getDigestID();
  }

  private static String advice(DnsAnswer answer) {
    return switch (answer.edeCode()) {
      case ExtendedErrorCodeOption.SIGNATURE_EXPIRED ->
          "Re-sign the zone: its signatures have expired. Check that the signer runs and that"
              + " signatures are refreshed well before they expire.";
      case ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID ->
          "Check the clock of the signing host: the signatures are not valid yet.";
      case ExtendedErrorCodeOption.DNSKEY_MISSING ->
          "Make the DS record in the parent zone match a DNSKEY the zone publishes (after a key"
              + " rollover, update the DS at the registrar).";
      case ExtendedErrorCodeOption.RRSIGS_MISSING ->
          "Serve the zone's signatures (RRSIG records), or remove the DS from the parent zone"
              + " if the zone should be unsigned.";
      default -> "Fix the zone's DNSSEC signatures or the DS record in the parent zone.";
    };
  }
}
