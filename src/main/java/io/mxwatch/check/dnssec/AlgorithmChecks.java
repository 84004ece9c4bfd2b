package io.mxwatch.check.dnssec;

import static io.mxwatch.check.Findings.finding;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.Findings;
import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.ZoneApex;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.ScanContext;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * {@code dnssec.algorithms}: the DNSKEY algorithms, DS digest types and NSEC3 parameters of the
 * domain's zone and of each MX host's zone, graded by RFC 8624 §3.1 and §3.3 (algorithm
 * implementation requirements) and RFC 9276 §3.1 (NSEC3 parameters).
 */
public final class AlgorithmChecks implements CheckModule {

  /**
   * What a zone publishes.
   *
   * @param apex the zone apex
   * @param dnskey the DNSKEY lookup at the apex
   * @param ds the DS lookup at the apex (answered by the parent)
   * @param nsec3param the NSEC3PARAM lookup at the apex; NODATA means the zone uses NSEC
   */
  public record ZoneKeys(Name apex, DnsAnswer dnskey, DnsAnswer ds, DnsAnswer nsec3param) {}

  /** RFC 8624 §3.1: MUST NOT be used for signing. */
  private static final Set<Integer> FORBIDDEN =
      Set.of(
          DNSSEC.Algorithm.RSAMD5,
          DNSSEC.Algorithm.DSA,
          DNSSEC.Algorithm.DSA_NSEC3_SHA1,
          DNSSEC.Algorithm.ECC_GOST);

  /** RFC 8624 §3.1: RSA/SHA-1 is NOT RECOMMENDED for signing. */
  private static final Set<Integer> WEAK =
      Set.of(DNSSEC.Algorithm.RSASHA1, DNSSEC.Algorithm.RSA_NSEC3_SHA1);

  /** The signing algorithms of the IANA registry that validators implement. */
  private static final Set<Integer> KNOWN =
      Set.of(
          DNSSEC.Algorithm.RSAMD5,
          DNSSEC.Algorithm.DSA,
          DNSSEC.Algorithm.RSASHA1,
          DNSSEC.Algorithm.DSA_NSEC3_SHA1,
          DNSSEC.Algorithm.RSA_NSEC3_SHA1,
          DNSSEC.Algorithm.RSASHA256,
          DNSSEC.Algorithm.RSASHA512,
          DNSSEC.Algorithm.ECC_GOST,
          DNSSEC.Algorithm.ECDSAP256SHA256,
          DNSSEC.Algorithm.ECDSAP384SHA384,
          DNSSEC.Algorithm.ED25519,
          DNSSEC.Algorithm.ED448);

  @Override
  public List<Check> checks() {
    return List.of(Check.DNSSEC_ALGORITHMS);
  }

  @Override
  public List<Finding> run(ScanContext context) {
    List<Finding> findings = new ArrayList<>();
    Dns dns = context.dns();
    ZoneApex domainZone = ZoneApex.of(dns, context.domain());
    findings.add(gradeZone(dns, context.domainText(), domainZone));

    // MX hosts in the domain's own zone add nothing; each other zone is graded once.
    Set<Name> seen = new LinkedHashSet<>();
    if (domainZone.found()) {
      seen.add(domainZone.apex());
    }
    for (MxTarget target : context.mx().targets()) {
      ZoneApex zone = ZoneApex.of(dns, target.name());
      if (zone.found() && !seen.add(zone.apex())) {
        continue;
      }
      findings.add(gradeZone(dns, target.host(), zone));
    }
    return findings;
  }

  private static Finding gradeZone(Dns dns, String target, ZoneApex zone) {
    if (!zone.found()) {
      return finding(
          Check.DNSSEC_ALGORITHMS,
          Status.ERROR,
          target,
          "cannot find the zone: " + zone.answer().describe(),
          Findings.details(zone.answer()),
          null);
    }
    Name apex = zone.apex();
    return grade(
        target,
        new ZoneKeys(
            apex,
            dns.query(apex, Type.DNSKEY),
            dns.query(apex, Type.DS),
            dns.query(apex, Type.NSEC3PARAM)));
  }

  /** The verdict for one zone. */
  public static Finding grade(String target, ZoneKeys zone) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("zone", MxResolution.text(zone.apex()));
    for (DnsAnswer answer : List.of(zone.dnskey(), zone.ds(), zone.nsec3param())) {
      if (answer.bogus() || answer.inconclusive()) {
        details.putAll(Findings.details(answer));
        String why = answer.bogus() ? "fails DNSSEC validation" : "failed";
        return finding(
            Check.DNSSEC_ALGORITHMS,
            Status.ERROR,
            target,
            "cannot read the zone's keys: the "
                + Type.string(answer.type())
                + " lookup "
                + why
                + ": "
                + answer.describe(),
            details,
            null);
      }
    }
    List<DNSKEYRecord> keys = zone.dnskey().recordsAs(DNSKEYRecord.class);
    List<DSRecord> ds = zone.ds().recordsAs(DSRecord.class);
    if (keys.isEmpty() && ds.isEmpty()) {
      return finding(
          Check.DNSSEC_ALGORITHMS,
          Status.NOT_APPLICABLE,
          target,
          MxResolution.text(zone.apex()) + " is not signed (no DNSKEY, no DS)",
          details,
          null);
    }

    Status status = Status.PASS;
    List<String> problems = new ArrayList<>();
    List<String> advice = new ArrayList<>();

    Set<Integer> algorithms = new TreeSet<>();
    keys.forEach(k -> algorithms.add(k.getAlgorithm()));
    details.put("dnskeyAlgorithms", algorithms.stream().map(AlgorithmChecks::algorithm).toList());
    for (int algorithm : algorithms) {
      if (FORBIDDEN.contains(algorithm)) {
        status = worse(status, Status.FAIL);
        problems.add(
            "DNSKEY algorithm " + algorithm(algorithm) + " must not be used (RFC 8624 §3.1)");
      } else if (WEAK.contains(algorithm)) {
        status = worse(status, Status.WARN);
        problems.add(
            "DNSKEY algorithm "
                + algorithm(algorithm)
                + " uses SHA-1 and is not recommended (RFC 8624 §3.1)");
      } else if (!KNOWN.contains(algorithm)) {
        status = worse(status, Status.WARN);
        problems.add(
            "DNSKEY algorithm "
                + algorithm
                + " is unknown to validators, which then treat the zone as unsigned");
      }
    }
    if (status != Status.PASS) {
      advice.add(
          "Roll the zone to ECDSAP256SHA256 (13) or ED25519 (15) with an algorithm rollover"
              + " (RFC 6781 §4.1.4).");
    }

    Set<Integer> digests = new TreeSet<>();
    ds.forEach(d -> digests.add(d.getDigestID()));
    details.put("dsDigestTypes", digests.stream().map(AlgorithmChecks::digest).toList());
    if (!digests.isEmpty() && digests.stream().allMatch(AlgorithmChecks::isWeakDigest)) {
      status = worse(status, Status.WARN);
      problems.add(
          "every DS record uses digest type "
              + digests.stream().map(AlgorithmChecks::digest).toList()
              + ", which must no longer be used for new DS records (RFC 8624 §3.3)");
      advice.add("Publish a DS record with digest type 2 (SHA-256) in the parent zone.");
    }

    String note = nsec3(zone.nsec3param(), details, problems, advice);
    if (details.get("nsec3Iterations") instanceof Integer iterations && iterations > 0) {
      status = worse(status, Status.WARN);
    }
    if (problems.isEmpty()) {
      String summary =
          "DNSKEY algorithms "
              + details.get("dnskeyAlgorithms")
              + ", DS digest types "
              + details.get("dsDigestTypes")
              + ", "
              + (note.isEmpty() ? "NSEC" : note);
      return finding(Check.DNSSEC_ALGORITHMS, status, target, summary, details, null);
    }
    String summary = String.join("; ", problems);
    if (details.containsKey("note")) {
      summary += "; note: " + details.get("note");
    }
    return finding(
        Check.DNSSEC_ALGORITHMS, status, target, summary, details, String.join(" ", advice));
  }

  /**
   * Adds the NSEC3 parameters to the details and any RFC 9276 problem to {@code problems}; returns
   * a short description, or an empty text when the zone uses NSEC.
   */
  private static String nsec3(
      DnsAnswer answer, Map<String, Object> details, List<String> problems, List<String> advice) {
    List<NSEC3PARAMRecord> params = answer.recordsAs(NSEC3PARAMRecord.class);
    if (params.isEmpty()) {
      details.put("denial", "NSEC");
      return "";
    }
    NSEC3PARAMRecord param = params.get(0);
    byte[] salt = param.getSalt() == null ? new byte[0] : param.getSalt();
    details.put("denial", "NSEC3");
    details.put("nsec3Iterations", param.getIterations());
    details.put("nsec3Salt", salt.length == 0 ? "-" : HexFormat.of().formatHex(salt));
    String description = "NSEC3 with " + param.getIterations() + " iterations";
    if (param.getIterations() > 0) {
      // RFC 9276 §3.1: extra iterations add no protection and cost every resolver; §3.2 lets
      // validators treat high counts as insecure (dnsjava does above 150 for ECDSA keys).
      problems.add(
          "NSEC3 uses "
              + param.getIterations()
              + " additional iterations; RFC 9276 §3.1 requires 0");
      advice.add("Set the NSEC3 iterations to 0 (and the salt to empty) when re-signing.");
      description = "NSEC3 iterations " + param.getIterations();
    }
    if (salt.length > 0) {
      // RFC 9276 §3.1: a salt SHOULD NOT be used; it is a note, not a fault.
      details.put("note", "an NSEC3 salt is set; RFC 9276 §3.1 recommends an empty salt");
      description += " (note: " + details.get("note") + ")";
    }
    return description;
  }

  private static boolean isWeakDigest(int digest) {
    return digest == DNSSEC.Digest.SHA1 || digest == DNSSEC.Digest.GOST3411;
  }

  private static Status worse(Status current, Status candidate) {
    return rank(candidate) > rank(current) ? candidate : current;
  }

  private static int rank(Status status) {
    return switch (status) {
      case FAIL -> 2;
      case WARN -> 1;
      default -> 0;
    };
  }

  private static String algorithm(int number) {
    return number + " (" + DNSSEC.Algorithm.string(number) + ")";
  }

  private static String digest(int number) {
    String name =
        switch (number) {
          case DNSSEC.Digest.SHA1 -> "SHA-1";
          case DNSSEC.Digest.SHA256 -> "SHA-256";
          case DNSSEC.Digest.GOST3411 -> "GOST R 34.11-94";
          case DNSSEC.Digest.SHA384 -> "SHA-384";
          default -> "unknown";
        };
    return number + " (" + name + ")";
  }
}
