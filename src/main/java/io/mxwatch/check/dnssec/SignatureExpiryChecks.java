package io.mxwatch.check.dnssec;

import static io.mxwatch.check.Findings.finding;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.Findings;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.Security;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.ScanContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code dnssec.signature_expiry}: how long until the earliest RRSIG on the SOA, MX, TXT and TLSA
 * RRsets that mail delivery to the domain depends on expires. A zone whose signer stopped keeps
 * working until then, so this warns before the outage instead of reporting it.
 */
public final class SignatureExpiryChecks implements CheckModule {

  /** TXT records of the domain that mail checks read: SPF, DMARC, MTA-STS and TLS-RPT. */
  private static final List<String> TXT_PREFIXES = List.of("", "_dmarc", "_mta-sts", "_smtp._tls");

  /**
   * One signature that a lookup depended on.
   *
   * @param rrset the lookup, such as {@code example.org MX}
   * @param covered the RR type the signature covers (the type itself, CNAME, NSEC, NSEC3, SOA)
   * @param signer the zone that signed it, without the trailing dot
   * @param expiration the end of its validity period
   */
  public record Signature(String rrset, String covered, String signer, Instant expiration) {}

  /**
   * The evidence: signatures of secure answers, bogus answers that failed because of expired
   * signatures, and lookups that said nothing.
   *
   * @param domainInsecure the domain's own zone is proven unsigned (an insecure SOA answer), so a
   *     failed lookup elsewhere cannot hide a signature of it
   */
  public record Evidence(
      List<Signature> signatures,
      List<DnsAnswer> expired,
      int inconclusive,
      boolean domainInsecure) {
    public Evidence {
      signatures = List.copyOf(signatures);
      expired = List.copyOf(expired);
    }
  }

  @Override
  public List<Check> checks() {
    return List.of(Check.DNSSEC_SIGNATURE_EXPIRY);
  }

  @Override
  public List<Finding> run(ScanContext context) {
    return List.of(
        grade(
            context.domainText(),
            collect(lookups(context)),
            context.clock().instant(),
            context.options().signatureExpiryWarnDays()));
  }

  /**
   * The lookups whose signatures matter for mail, the SOA of the domain first; all are cached by
   * the scan's DNS session.
   */
  static List<DnsAnswer> lookups(ScanContext context) {
    List<DnsAnswer> answers = new ArrayList<>();
    Name domain = context.domain();
    answers.add(context.dns().query(domain, Type.SOA));
    MxResolution mx = context.mx();
    answers.add(mx.answer());
    for (String prefix : TXT_PREFIXES) {
      Name name = prefixed(prefix, domain);
      if (name != null) {
        answers.add(context.dns().query(name, Type.TXT));
      }
    }
    for (MxTarget target : mx.targets()) {
      Name tlsa = prefixed("_25._tcp", target.name());
      if (tlsa != null) {
        answers.add(context.dns().query(tlsa, Type.TLSA));
      }
    }
    return answers;
  }

  /** {@code prefix.name}, or null when the result would exceed 255 octets. */
  private static Name prefixed(String prefix, Name name) {
    if (prefix.isEmpty()) {
      return name;
    }
    try {
      return Name.concatenate(Name.fromString(prefix), name);
    } catch (TextParseException | NameTooLongException e) {
      return null;
    }
  }

  /** Sorts the answers into evidence; the first answer is the SOA lookup of the domain. */
  public static Evidence collect(List<DnsAnswer> answers) {
    List<Signature> signatures = new ArrayList<>();
    List<DnsAnswer> expired = new ArrayList<>();
    int inconclusive = 0;
    for (DnsAnswer answer : answers) {
      if (answer.bogus() && answer.edeCode() == ExtendedErrorCodeOption.SIGNATURE_EXPIRED) {
        expired.add(answer);
      } else if (answer.inconclusive()) {
        inconclusive++;
      } else if (answer.security() == Security.SECURE) {
        String rrset = MxResolution.text(answer.name()) + " " + Type.string(answer.type());
        for (RRSIGRecord rrsig : answer.signatures()) {
          signatures.add(
              new Signature(
                  rrset,
                  Type.string(rrsig.getTypeCovered()),
                  MxResolution.text(rrsig.getSigner()),
                  rrsig.getExpire()));
        }
      }
    }
    DnsAnswer soa = answers.isEmpty() ? null : answers.get(0);
    boolean domainInsecure =
        soa != null
            && soa.type() == Type.SOA
            && !soa.inconclusive()
            && !soa.bogus()
            && soa.security() == Security.INSECURE;
    return new Evidence(signatures, expired, inconclusive, domainInsecure);
  }

  /**
   * The verdict: fail when a signature has expired, warn when the earliest expires within {@code
   * warnDays}, pass otherwise; not applicable when nothing is signed.
   */
  public static Finding grade(String domain, Evidence evidence, Instant now, int warnDays) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("warnDays", warnDays);
    if (!evidence.expired().isEmpty()) {
      DnsAnswer first = evidence.expired().get(0);
      details.put(
          "expired",
          evidence.expired().stream()
              .map(
                  a ->
                      MxResolution.text(a.name()) + " " + Type.string(a.type()) + ": " + a.reason())
              .toList());
      return finding(
          Check.DNSSEC_SIGNATURE_EXPIRY,
          Status.FAIL,
          domain,
          "signatures have expired: " + first.reason(),
          details,
          EXPIRED_ADVICE);
    }
    if (evidence.signatures().isEmpty()) {
      if (evidence.domainInsecure()) {
        return finding(
            Check.DNSSEC_SIGNATURE_EXPIRY,
            Status.NOT_APPLICABLE,
            domain,
            "the domain's zone is not signed (insecure), so there are no signatures to expire",
            details,
            null);
      }
      if (evidence.inconclusive() > 0) {
        return finding(
            Check.DNSSEC_SIGNATURE_EXPIRY,
            Status.ERROR,
            domain,
            "cannot tell: "
                + Findings.count(evidence.inconclusive(), "lookup")
                + " failed and no secure answer carried signatures",
            details,
            null);
      }
      return finding(
          Check.DNSSEC_SIGNATURE_EXPIRY,
          Status.NOT_APPLICABLE,
          domain,
          "no DNSSEC-secure answer, so there are no signatures to expire",
          details,
          null);
    }

    Signature earliest =
        evidence.signatures().stream()
            .min(Comparator.comparing(Signature::expiration))
            .orElseThrow();
    Duration left = Duration.between(now, earliest.expiration());
    details.put("earliest", earliest.expiration().toString());
    details.put("rrset", earliest.rrset());
    details.put("covered", earliest.covered());
    details.put("signer", earliest.signer());
    details.put("daysLeft", left.toDays());
    String what = "the RRSIG over " + earliest.rrset() + " (" + earliest.covered() + ")";
    if (!left.isPositive()) {
      return finding(
          Check.DNSSEC_SIGNATURE_EXPIRY,
          Status.FAIL,
          domain,
          what + " expired at " + earliest.expiration(),
          details,
          EXPIRED_ADVICE);
    }
    if (left.compareTo(Duration.ofDays(warnDays)) < 0) {
      return finding(
          Check.DNSSEC_SIGNATURE_EXPIRY,
          Status.WARN,
          domain,
          what + " expires in " + describe(left) + ", at " + earliest.expiration(),
          details,
          "Check that the zone signer of "
              + earliest.signer()
              + " runs: it must re-sign before "
              + earliest.expiration()
              + " or the zone turns bogus and mail to DNSSEC-validating senders stops.");
    }
    return finding(
        Check.DNSSEC_SIGNATURE_EXPIRY,
        Status.PASS,
        domain,
        "earliest signature expiration in " + describe(left) + " (" + what + ")",
        details,
        null);
  }

  private static final String EXPIRED_ADVICE =
      "Re-sign the zone now and find out why the signer stopped refreshing signatures;"
          + " validating resolvers reject its answers until then.";

  private static String describe(Duration left) {
    if (left.toDays() >= 1) {
      return Findings.count(left.toDays(), "day");
    }
    return Findings.count(left.toHours(), "hour");
  }
}
