package io.mxwatch.check.dane;

import static io.mxwatch.check.Findings.finding;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.Findings;
import io.mxwatch.check.cert.CertChecks;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.Security;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.Observations;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.smtp.SmtpEvidence;
import io.mxwatch.smtp.SmtpOutcome;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DANE for SMTP (RFC 7672): {@code dane.exists} and {@code dane.advice} per MX host, {@code
 * dane.valid} and {@code dane.rollover} per address, and {@code dane.misplaced} for the domain.
 */
public final class DaneChecks implements CheckModule {

  @Override
  public List<Check> checks() {
    return List.of(
        Check.DANE_EXISTS,
        Check.DANE_VALID,
        Check.DANE_ROLLOVER,
        Check.DANE_ADVICE,
        Check.DANE_MISPLACED);
  }

  /**
   * The TLSA lookup of one MX host.
   *
   * @param hostZone security of the MX host's own address records
   * @param answer the TLSA lookup
   * @param baseDomain the TLSA base domain actually used (CNAME-expanded when secure)
   */
  record TlsaLookup(Security hostZone, DnsAnswer answer, String baseDomain) {
    boolean usable() {
      return hostZone == Security.SECURE && answer.found() && answer.security() == Security.SECURE;
    }

    List<TLSARecord> records() {
      return answer.recordsAs(TLSARecord.class);
    }
  }

  @Override
  public List<Finding> run(ScanContext context) {
    MxResolution mx = context.mx();
    List<Finding> findings = new ArrayList<>();
    if (mx.targets().isEmpty()) {
      for (Check check : List.of(Check.DANE_EXISTS, Check.DANE_VALID, Check.DANE_ADVICE)) {
        findings.add(Findings.withoutServers(check, context.domainText(), mx));
      }
      return findings;
    }
    boolean anyMissing = false;
    for (MxTarget target : mx.targets()) {
      TlsaLookup lookup = lookup(context, target);
      Finding exists = exists(target.host(), lookup);
      findings.add(exists);
      anyMissing |= lookup.answer().absent() && lookup.hostZone() == Security.SECURE;

      List<List<X509Certificate>> chains = new ArrayList<>();
      for (InetAddress address : target.addresses()) {
        SmtpEvidence evidence = context.smtp(target, address);
        List<X509Certificate> chain =
            lookup.usable()
                ? CertChecks.presentedChain(context, target, address)
                : evidence.chain();
        chains.add(chain);
        Finding valid = valid(evidence, chain, lookup, exists);
        findings.add(valid);
        findings.add(rollover(evidence, chain, lookup, valid, context.domainSettings().nextKeys()));
        context.evidence(
            Observations.tlsaKey(target.host(), evidence.address()),
            () -> observation(lookup, valid, chain));
      }
      findings.add(advice(target.host(), chains, context.domainSettings().nextKeys()));
    }
    if (anyMissing) {
      misplaced(context, mx).ifPresent(findings::add);
    }
    return findings;
  }

  /** RFC 7672 §2.2.2: a secure CNAME-expanded MX name is the TLSA base domain when it has TLSA. */
  static TlsaLookup lookup(ScanContext context, MxTarget target) {
    try {
      return lookupTlsa(context, target);
    } catch (IllegalArgumentException e) {
      // A host name near the 255-octet limit leaves no room for the _25._tcp prefix.
      DnsAnswer failure =
          DnsAnswer.failure(
              target.name(), Type.TLSA, io.mxwatch.dns.Outcome.FAILED, e.getMessage());
      return new TlsaLookup(Security.INDETERMINATE, failure, target.host());
    }
  }

  private static TlsaLookup lookupTlsa(ScanContext context, MxTarget target) {
    DnsAnswer address = target.ipv4().inconclusive() ? target.ipv6() : target.ipv4();
    Security hostZone = address.bogus() ? Security.BOGUS : address.security();
    if (!address.cnameChain().isEmpty() && address.security() == Security.SECURE) {
      Name expanded = address.canonicalName();
      DnsAnswer answer = context.dns().query(tlsaName(expanded), Type.TLSA);
      if (answer.found() || answer.inconclusive() || answer.bogus()) {
        return new TlsaLookup(hostZone, answer, text(expanded));
      }
    }
    DnsAnswer answer = context.dns().query(tlsaName(target.name()), Type.TLSA);
    return new TlsaLookup(hostZone, answer, target.host());
  }

  /** {@code dane.exists}: a DNSSEC-secure TLSA RRset at {@code _25._tcp.<mx>}. */
  static Finding exists(String host, TlsaLookup lookup) {
    DnsAnswer answer = lookup.answer();
    Map<String, Object> details = Findings.details(answer);
    String where = "_25._tcp." + lookup.baseDomain();
    if (lookup.hostZone() == Security.BOGUS || answer.bogus()) {
      return finding(
          Check.DANE_EXISTS,
          Status.FAIL,
          host,
          "TLSA lookup at " + where + " fails DNSSEC validation: " + answer.reason(),
          details,
          "Fix the DNSSEC signatures of the MX host's zone; DANE senders will not deliver.");
    }
    if (answer.inconclusive()) {
      return finding(
          Check.DANE_EXISTS,
          Status.ERROR,
          host,
          "TLSA lookup at "
              + where
              + " failed ("
              + answer.describe()
              + "); DANE senders treat this MX as unusable until it answers (RFC 7672 §2.1.1)",
          details,
          null);
    }
    if (lookup.hostZone() != Security.SECURE || answer.security() != Security.SECURE) {
      String summary =
          answer.found()
              ? "TLSA records exist but the zone is not signed, so senders ignore them"
                  + " (RFC 7672 §2.2)"
              : "the MX host's zone is not signed with DNSSEC, so DANE cannot apply";
      return finding(
          Check.DANE_EXISTS,
          Status.INFO,
          host,
          summary,
          details,
          "Sign the MX host's zone with DNSSEC, then publish a TLSA record at " + where + ".");
    }
    if (answer.absent()) {
      return finding(
          Check.DANE_EXISTS,
          Status.FAIL,
          host,
          "no TLSA record at " + where,
          details,
          "Publish a TLSA record at " + where + " (see dane.advice for the exact record).");
    }
    details.put("records", lookup.records().stream().map(TLSARecord::rdataToString).toList());
    return finding(
        Check.DANE_EXISTS,
        Status.PASS,
        host,
        Findings.count(lookup.records().size(), "TLSA record") + " at " + where + ", DNSSEC-secure",
        details,
        null);
  }

  /**
   * {@code dane.valid}: the chain this address presented matches a usable TLSA record.
   *
   * @param chain the chain as presented, from the JDK handshake or the TLS posture probe
   */
  static Finding valid(
      SmtpEvidence evidence, List<X509Certificate> chain, TlsaLookup lookup, Finding exists) {
    String target = evidence.target();
    if (exists.status() == Status.ERROR) {
      return finding(Check.DANE_VALID, Status.ERROR, target, "cannot tell: " + exists.summary());
    }
    if (!lookup.usable()) {
      return finding(
          Check.DANE_VALID, Status.NOT_APPLICABLE, target, "no DNSSEC-secure TLSA records");
    }
    SmtpOutcome outcome = evidence.outcome();
    if (chain.isEmpty()) {
      if (outcome.inconclusive()) {
        return finding(
            Check.DANE_VALID,
            Status.ERROR,
            target,
            "cannot tell: no TLS session (" + failure(evidence) + ")");
      }
      return finding(
          Check.DANE_VALID,
          Status.FAIL,
          target,
          "TLSA records are published but TLS does not work ("
              + failure(evidence)
              + "): DANE senders defer mail to this server",
          Map.of("outcome", outcome.name()),
          "Make STARTTLS work on this server, or withdraw the TLSA records.");
    }

    Set<String> names = new LinkedHashSet<>(List.of(evidence.host(), lookup.baseDomain()));
    TlsaMatcher.Result result = TlsaMatcher.match(lookup.records(), chain, names);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("records", result.assessments());
    details.put("presentedLeafSpkiSha256", TlsaMatcher.eeRecord(chain.get(0)).substring(6));
    details.put("chainLength", chain.size());
    String expected = TlsaMatcher.eeRecord(chain.get(0));
    if (result.matched()) {
      TlsaMatcher.Assessment match =
          result.assessments().stream().filter(TlsaMatcher.Assessment::matched).findFirst().get();
      return finding(
          Check.DANE_VALID,
          Status.PASS,
          target,
          "the presented certificate matches TLSA " + match.record(),
          details,
          null);
    }
    details.put("wouldMatch", expected);
    if (result.usableCount() == 0) {
      return finding(
          Check.DANE_VALID,
          Status.FAIL,
          target,
          "no usable TLSA record: " + problems(result),
          details,
          "Publish '_25._tcp." + lookup.baseDomain() + ". IN TLSA " + expected + "'.");
    }
    return finding(
        Check.DANE_VALID,
        Status.FAIL,
        target,
        result.usableCount() == 1
            ? "TLSA mismatch: the only usable record does not match the presented certificate"
            : "TLSA mismatch: none of the "
                + result.usableCount()
                + " usable records matches the presented certificate",
        details,
        "Publish '_25._tcp."
            + lookup.baseDomain()
            + ". IN TLSA "
            + expected
            + "' for the key the server presents now; keep the old record only while the"
            + " old key is still in use.");
  }

  /** Describes in words why the SMTP probe got no certificate chain. */
  private static String failure(SmtpEvidence evidence) {
    return evidence.error() == null ? "no certificate was captured" : evidence.error();
  }

  /**
   * {@code dane.rollover}: the next certificate change must not break DANE. It is safe when a
   * DANE-TA record matches (the issuer survives a leaf change) or when a usable DANE-EE record for
   * another key is published ahead of the change.
   */
  static Finding rollover(
      SmtpEvidence evidence,
      List<X509Certificate> chain,
      TlsaLookup lookup,
      Finding valid,
      List<String> nextKeys) {
    String target = evidence.target();
    if (valid.status() == Status.ERROR) {
      // dane.valid names the failed TLSA lookup or SMTP probe after "cannot tell: ".
      String cause = valid.summary().replaceFirst("^cannot tell: ", "");
      return finding(
          Check.DANE_ROLLOVER, Status.ERROR, target, "rollover could not be judged: " + cause);
    }
    if (valid.status() != Status.PASS) {
      return finding(
          Check.DANE_ROLLOVER,
          Status.NOT_APPLICABLE,
          target,
          "no matching TLSA record to roll over from");
    }
    X509Certificate leaf = chain.get(0);
    Set<String> names = new LinkedHashSet<>(List.of(evidence.host(), lookup.baseDomain()));
    boolean taMatch = false;
    List<String> standby = new ArrayList<>();
    for (TLSARecord record : lookup.records()) {
      if (TlsaMatcher.problem(record) != null) {
        continue;
      }
      var single = TlsaMatcher.match(List.of(record), chain, names);
      if (record.getCertificateUsage() == 2 && single.matched()) {
        taMatch = true;
      } else if (record.getCertificateUsage() == 3 && !TlsaMatcher.matches(record, leaf)) {
        standby.add(record.rdataToString());
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("standbyRecords", standby);
    List<String> registered =
        nextKeys.stream()
            .map(k -> k.toLowerCase(Locale.ROOT))
            .filter(k -> standby.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).endsWith(k)))
            .toList();
    details.put("registeredNextKeysPublished", registered);
    if (taMatch) {
      return finding(
          Check.DANE_ROLLOVER,
          Status.PASS,
          target,
          "a DANE-TA record matches the issuer, so a new leaf certificate from the same CA keeps"
              + " matching",
          details,
          null);
    }
    if (!standby.isEmpty()) {
      return finding(
          Check.DANE_ROLLOVER,
          Status.PASS,
          target,
          "a second DANE-EE record for another key is published ahead of the next key change",
          details,
          null);
    }
    return finding(
        Check.DANE_ROLLOVER,
        Status.WARN,
        target,
        "only the current key matches: the next certificate renewal with a new key breaks DANE",
        details,
        "Before the next key change, publish a TLSA record for the next key beside the current"
            + " one (or reuse the key on renewal, or add a '2 1 1' record for the issuing CA).");
  }

  /** {@code dane.advice}: the {@code 3 1 1} record(s) to publish for the keys in use. */
  static Finding advice(String host, List<List<X509Certificate>> chains, List<String> nextKeys) {
    Set<String> current = new LinkedHashSet<>();
    for (List<X509Certificate> chain : chains) {
      if (!chain.isEmpty()) {
        current.add(TlsaMatcher.eeRecord(chain.get(0)));
      }
    }
    if (current.isEmpty()) {
      return finding(
          Check.DANE_ADVICE,
          Status.NOT_APPLICABLE,
          host,
          "no certificate was presented, so there is no key to publish");
    }
    List<String> records = new ArrayList<>();
    for (String record : current) {
      records.add("_25._tcp." + host + ". IN TLSA " + record);
    }
    for (String next : nextKeys) {
      records.add("_25._tcp." + host + ". IN TLSA 3 1 1 " + next.toLowerCase(Locale.ROOT));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("records", records);
    String summary =
        nextKeys.isEmpty()
            ? "publish " + String.join(" and ", records)
            : "publish " + String.join(" and ", records) + " (current and next key)";
    return finding(Check.DANE_ADVICE, Status.INFO, host, summary, details, null);
  }

  /**
   * {@code dane.misplaced}: TLSA at the mail domain instead of at the MX host, a common mistake
   * because DANE for SMTP is looked up at the MX host name.
   */
  static java.util.Optional<Finding> misplaced(ScanContext context, MxResolution mx) {
    boolean domainIsMx = mx.targets().stream().anyMatch(t -> t.name().equals(context.domain()));
    if (domainIsMx) {
      return java.util.Optional.empty();
    }
    DnsAnswer atDomain = context.dns().query(tlsaName(context.domain()), Type.TLSA);
    if (!atDomain.found()) {
      return java.util.Optional.empty();
    }
    List<String> hosts = mx.targets().stream().map(MxTarget::host).toList();
    return java.util.Optional.of(
        finding(
            Check.DANE_MISPLACED,
            Status.WARN,
            context.domainText(),
            "TLSA records are published at _25._tcp."
                + context.domainText()
                + " but senders look them up at the MX host names",
            Findings.details(atDomain),
            "Publish the TLSA records at "
                + String.join(", ", hosts.stream().map(h -> "_25._tcp." + h).toList())
                + " instead."));
  }

  private static Observations.DaneObservation observation(
      TlsaLookup lookup, Finding valid, List<X509Certificate> chain) {
    List<String> records = lookup.records().stream().map(TLSARecord::rdataToString).toList();
    Boolean match =
        switch (valid.status()) {
          case PASS -> true;
          case FAIL -> false;
          default -> null;
        };
    return new Observations.DaneObservation(records, match, chain);
  }

  private static String problems(TlsaMatcher.Result result) {
    return String.join(
        "; ",
        result.assessments().stream()
            .filter(a -> !a.usable())
            .map(a -> a.record() + ": " + a.problem())
            .toList());
  }

  static Name tlsaName(Name host) {
    try {
      return Name.concatenate(Name.fromString("_25._tcp"), host);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException("cannot form the TLSA name of " + host, e);
    }
  }

  private static String text(Name name) {
    return MxResolution.text(name);
  }
}
