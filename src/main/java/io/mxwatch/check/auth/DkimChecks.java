package io.mxwatch.check.auth;

import io.mxwatch.check.auth.dkim.DkimKey;
import io.mxwatch.check.auth.dkim.DkimKeyParser;
import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.Outcome;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The rules of {@code auth.dkim}. */
public final class DkimChecks {
  private DkimChecks() {}

  /** RSA keys below this many bits are broken (RFC 8301 §3.2: verifiers must not accept them). */
  static final int RSA_MIN_BITS = 1024;

  /** RSA keys below this many bits are weak, because RFC 8301 §3.2 asks signers for 2048. */
  static final int RSA_RECOMMENDED_BITS = 2048;

  /**
   * The lookup of one configured selector.
   *
   * @param selector the selector as configured
   * @param name {@code <selector>._domainkey.<domain>}
   * @param answer the TXT lookup, CNAMEs followed
   */
  public record Selector(String selector, String name, DnsAnswer answer) {}

  /** Looks up {@code _domainkey} and every configured selector. */
  public static Evidence gather(Dns dns, String domain, List<String> selectors) {
    DnsAnswer domainKey = DnsNames.query(dns, "_domainkey." + domain, Type.TXT);
    List<Selector> lookups = new ArrayList<>();
    for (String selector : selectors) {
      String name = selector + "._domainkey." + domain;
      lookups.add(new Selector(selector, name, DnsNames.query(dns, name, Type.TXT)));
    }
    return new Evidence(domainKey, lookups);
  }

  /**
   * The evidence of {@code auth.dkim}.
   *
   * @param domainKey the lookup of {@code _domainkey.<domain>}
   * @param selectors the configured selectors' lookups
   */
  public record Evidence(DnsAnswer domainKey, List<Selector> selectors) {
    public Evidence {
      selectors = List.copyOf(selectors);
    }
  }

  /** One selector's grade. */
  private record Grade(Status status, String summary, Map<String, Object> details) {}

  /**
   * {@code auth.dkim}.
   *
   * @param nonSending the domain publishes SPF {@code -all} only and DMARC reject, so it signs
   *     nothing
   */
  public static Finding dkim(String domain, boolean nonSending, Evidence evidence) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (nonSending) {
      return new Finding(
          Check.AUTH_DKIM.id(),
          Status.NOT_APPLICABLE,
          domain,
          "the domain sends no mail (SPF 'v=spf1 -all' and DMARC p=reject), so it needs no keys",
          details,
          null);
    }
    DnsAnswer domainKey = evidence.domainKey();
    details.put("_domainkey", domainKey.outcome().name());

    List<Grade> grades = new ArrayList<>();
    List<Map<String, Object>> selectorDetails = new ArrayList<>();
    for (Selector selector : evidence.selectors()) {
      Grade grade = grade(selector);
      grades.add(grade);
      selectorDetails.add(grade.details());
    }
    if (!selectorDetails.isEmpty()) {
      details.put("selectors", selectorDetails);
    }

    if (domainKey.inconclusive() || domainKey.bogus()) {
      return new Finding(
          Check.AUTH_DKIM.id(),
          Status.ERROR,
          domain,
          "could not look up _domainkey." + domain + ": " + domainKey.describe(),
          details,
          null);
    }
    boolean anyFound = evidence.selectors().stream().anyMatch(s -> s.answer().found());
    List<Selector> failed =
        evidence.selectors().stream()
            .filter(s -> s.answer().inconclusive() || s.answer().bogus())
            .toList();
    if (domainKey.outcome() == Outcome.NXDOMAIN && !anyFound && !failed.isEmpty()) {
      // Keys do turn up below an NXDOMAIN _domainkey (see the warning below), so a failed selector
      // lookup leaves open whether the domain publishes a key.
      return new Finding(
          Check.AUTH_DKIM.id(),
          Status.ERROR,
          domain,
          "_domainkey."
              + domain
              + " answers NXDOMAIN, but the lookup of a configured selector failed: "
              + failed.get(0).answer().describe(),
          details,
          null);
    }
    if (domainKey.outcome() == Outcome.NXDOMAIN && !anyFound) {
      return new Finding(
          Check.AUTH_DKIM.id(),
          Status.FAIL,
          domain,
          "_domainkey."
              + domain
              + " does not exist (NXDOMAIN), so no DKIM keys are published"
              + " below it (RFC 8020)",
          details,
          "Sign outgoing mail with DKIM and publish the public key as a TXT record at"
              + " <selector>._domainkey."
              + domain
              + ", for example 'v=DKIM1; k=rsa; p=<base64 of a 2048-bit key>'.");
    }
    if (grades.isEmpty()) {
      // Nothing was graded: the name only shows that something exists below it.
      return new Finding(
          Check.AUTH_DKIM.id(),
          Status.INFO,
          domain,
          "_domainkey."
              + domain
              + " exists, so DKIM keys may be published below it, but no selector is"
              + " registered, so no key was graded",
          details,
          "Register the selectors that sign mail for "
              + domain
              + " to have their keys graded. "
              + HOW_TO_REGISTER);
    }

    Grade worst = grades.get(0);
    for (Grade grade : grades) {
      if (grade.status().severity() > worst.status().severity()) {
        worst = grade;
      }
    }
    if (domainKey.outcome() == Outcome.NXDOMAIN) {
      return new Finding(
          Check.AUTH_DKIM.id(),
          Status.WARN,
          domain,
          "selector keys exist, but _domainkey."
              + domain
              + " answers NXDOMAIN; resolvers that"
              + " follow RFC 8020 treat everything below it as missing",
          details,
          "Fix the authoritative servers so that empty non-terminals such as _domainkey."
              + domain
              + " answer NOERROR without records (RFC 8020).");
    }
    String advice = worst.status() == Status.PASS ? null : adviceFor(worst, domain);
    String summary =
        grades.size() == 1
            ? worst.summary()
            : grades.size() + " selectors checked; worst: " + worst.summary();
    return new Finding(Check.AUTH_DKIM.id(), worst.status(), domain, summary, details, advice);
  }

  private static Grade grade(Selector selector) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("selector", selector.selector());
    details.put("name", selector.name());
    DnsAnswer answer = selector.answer();
    details.put("outcome", answer.outcome().name());
    if (!answer.cnameChain().isEmpty()) {
      details.put("cname", answer.cnameChain().stream().map(n -> n.toString(true)).toList());
    }
    if (answer.inconclusive() || answer.bogus()) {
      return new Grade(
          Status.ERROR, "could not look up " + selector.name() + ": " + answer.describe(), details);
    }
    List<String> texts = new ArrayList<>();
    for (TXTRecord txt : answer.recordsAs(TXTRecord.class)) {
      texts.add(TxtStrings.join(txt));
    }
    details.put("records", texts.stream().map(TxtStrings::printable).toList());
    if (texts.isEmpty()) {
      return new Grade(
          Status.FAIL, "no key at " + selector.name() + " (" + answer.outcome() + ")", details);
    }
    if (texts.size() > 1) {
      details.put("problem", "several TXT records; verifiers may pick any of them");
    }
    DkimKey key = DkimKeyParser.parse(texts.get(0));
    details.put("keyType", key.keyType());
    details.put("keyBits", key.keyBits());
    if (!key.warnings().isEmpty()) {
      details.put("warnings", key.warnings());
    }
    if (!key.errors().isEmpty()) {
      details.put("errors", key.errors());
      return new Grade(
          Status.FAIL,
          "the key at " + selector.name() + " is unusable: " + String.join("; ", key.errors()),
          details);
    }
    if (key.revoked()) {
      return new Grade(
          Status.FAIL, "the key at " + selector.name() + " is revoked (empty p=)", details);
    }
    String size = key.keyType().equals("rsa") ? key.keyBits() + "-bit RSA" : "Ed25519";
    if (key.keyType().equals("rsa") && key.keyBits() < RSA_MIN_BITS) {
      return new Grade(
          Status.FAIL,
          selector.selector()
              + " has a "
              + size
              + " key; verifiers reject keys under 1024 bits"
              + " (RFC 8301 §3.2)",
          details);
    }
    if (key.keyType().equals("rsa") && key.keyBits() < RSA_RECOMMENDED_BITS) {
      return new Grade(
          Status.WARN,
          selector.selector() + " has a " + size + " key; 2048 bits is the recommended minimum",
          details);
    }
    if (texts.size() > 1) {
      return new Grade(
          Status.WARN,
          selector.name() + " has " + texts.size() + " TXT records; verifiers may pick any",
          details);
    }
    if (!key.warnings().isEmpty()) {
      return new Grade(
          Status.WARN,
          selector.selector() + " has a " + size + " key, but " + key.warnings().get(0),
          details);
    }
    return new Grade(Status.PASS, selector.selector() + " publishes a " + size + " key", details);
  }

  private static String adviceFor(Grade worst, String domain) {
    if (worst.status() == Status.ERROR) {
      return null;
    }
    return "Publish a usable key at each registered selector: 'v=DKIM1; k=rsa; p=<base64 of a"
        + " 2048-bit SubjectPublicKeyInfo>' (or k=ed25519 alongside an RSA key), sign with it, and"
        + " stop registering selectors of "
        + domain
        + " that are no longer used. "
        + HOW_TO_REGISTER;
  }

  /**
   * How to register selectors, for advice that both the command line and the service show. The
   * service takes them only when a domain is added.
   */
  static final String HOW_TO_REGISTER =
      "On the command line, pass --dkim-selector NAME once per selector. In the service, list them"
          + " when you add the domain: in the 'DKIM selectors' field of the dashboard or in"
          + " dkimSelectors of POST /api/domains (to change them later, remove the domain and add"
          + " it again).";
}
