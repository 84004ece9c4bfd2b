package io.mxwatch.check.auth;

import io.mxwatch.check.auth.dmarc.DmarcDiscovery;
import io.mxwatch.check.auth.dmarc.DmarcParser;
import io.mxwatch.check.auth.dmarc.DmarcRecord;
import io.mxwatch.check.auth.dmarc.OrganizationalDomain;
import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The rules of the DMARC checks, as functions of the discovered records. */
public final class DmarcChecks {
  private DmarcChecks() {}

  /**
   * Returns the record that the advice of {@code auth.dmarc} and {@code auth.dmarc_policy}
   * recommends, so that following either one passes both. A domain that sends mail gets quarantine,
   * the weakest policy {@code auth.dmarc_policy} passes, with aggregate reports. A domain that
   * sends no mail gets reject and no {@code rua}, because it may not receive the reports either.
   */
  static String recommendedRecord(String domain, boolean sendsNoMail) {
    return sendsNoMail
        ? "v=DMARC1; p=reject"
        : "v=DMARC1; p=quarantine; rua=mailto:dmarc@" + domain;
  }

  /** Returns the advice to publish {@link #recommendedRecord} at {@code _dmarc.<domain>}. */
  static String publishAdvice(String domain, boolean sendsNoMail) {
    if (sendsNoMail) {
      return "This domain sends no mail: publish '"
          + recommendedRecord(domain, true)
          + "' at _dmarc."
          + domain
          + ".";
    }
    return "Publish '"
        + recommendedRecord(domain, false)
        + "' at _dmarc."
        + domain
        + ", then set p=reject once the aggregate reports show that all of your own mail passes"
        + " DMARC.";
  }

  /**
   * {@code auth.dmarc} for a domain that sends mail; see {@link #record(DmarcDiscovery.Discovery,
   * List, boolean)}.
   */
  public static Finding record(DmarcDiscovery.Discovery discovery, List<String> domainTxt) {
    return record(discovery, domainTxt, false);
  }

  /**
   * {@code auth.dmarc}: exactly one valid record at {@code _dmarc.<domain>} or at the
   * organizational domain.
   *
   * @param domainTxt the TXT records at the domain itself, to spot a record published there
   * @param sendsNoMail the domain sends no mail, so the advice recommends p=reject
   */
  public static Finding record(
      DmarcDiscovery.Discovery discovery, List<String> domainTxt, boolean sendsNoMail) {
    String domain = discovery.domain();
    Map<String, Object> details = discoveryDetails(discovery);
    if (discovery.inconclusive()) {
      return new Finding(
          Check.AUTH_DMARC.id(),
          Status.ERROR,
          domain,
          "could not look up the DMARC record: " + failedLookup(discovery).describe(),
          details,
          null);
    }
    DmarcDiscovery.Level level = discovery.decisive();
    if (level.records().isEmpty()) {
      String summary = "no DMARC record at _dmarc." + domain;
      if (!discovery.organizationalDomain().equals(domain)) {
        summary += " or at the organizational domain _dmarc." + discovery.organizationalDomain();
      }
      List<String> lookalikes = new ArrayList<>();
      discovery.levels().forEach(l -> lookalikes.addAll(l.lookalikes()));
      if (!lookalikes.isEmpty()) {
        summary +=
            "; receivers ignore '"
                + TxtStrings.printable(lookalikes.get(0))
                + "' because it does not start with exactly 'v=DMARC1'";
      } else if (domainTxt.stream().anyMatch(DmarcParser::isDmarcRecord)) {
        summary += "; a DMARC record is published at " + domain + " itself, where no one looks";
      }
      return new Finding(
          Check.AUTH_DMARC.id(),
          Status.FAIL,
          domain,
          summary,
          details,
          publishAdvice(domain, sendsNoMail));
    }
    if (level.records().size() > 1) {
      return new Finding(
          Check.AUTH_DMARC.id(),
          Status.FAIL,
          domain,
          level.records().size()
              + " DMARC records at "
              + level.name()
              + "; receivers apply no DMARC policy when there is more than one (RFC 7489 §6.6.3)",
          details,
          "Keep exactly one TXT record starting with 'v=DMARC1' at " + level.name() + ".");
    }
    DmarcRecord record = DmarcParser.parse(level.records().get(0));
    details.put("tags", record.tags());
    if (!record.warnings().isEmpty()) {
      details.put("warnings", record.warnings());
    }
    if (!record.valid()) {
      details.put("errors", record.errors());
      return new Finding(
          Check.AUTH_DMARC.id(),
          Status.FAIL,
          domain,
          "the DMARC record at "
              + level.name()
              + " is invalid: "
              + String.join("; ", record.errors())
              + (record.policyUnusable() ? "; it has " + receiverFallback(record) : ""),
          details,
          "Correct the record so every tag follows RFC 7489 §6.3, for example '"
              + recommendedRecord(discovery.policyDomain(), sendsNoMail)
              + "'.");
    }
    String where =
        discovery.inherited()
            ? "inherited from the organizational domain (" + level.name() + ")"
            : "at " + level.name();
    return new Finding(
        Check.AUTH_DMARC.id(),
        Status.PASS,
        domain,
        "one valid DMARC record "
            + where
            + (record.warnings().isEmpty() ? "" : "; " + String.join("; ", record.warnings())),
        details,
        null);
  }

  /**
   * Returns what receivers do with a record whose {@code p} or {@code sp} they cannot use (RFC 7489
   * §6.6.3), as in "no valid p tag and no valid rua, so receivers apply no DMARC policy".
   */
  private static String receiverFallback(DmarcRecord record) {
    String tag = record.policy() == null ? "no valid p tag" : "an invalid sp tag";
    if (record.effectivePolicy() == null) {
      return tag + " and no valid rua, so receivers apply no DMARC policy (RFC 7489 §6.6.3)";
    }
    return tag + " but a valid rua, so receivers treat it as p=none (RFC 7489 §6.6.3)";
  }

  /** {@code auth.dmarc_policy}, where only a null MX marks a domain that sends no mail. */
  public static Finding policy(DmarcDiscovery.Discovery discovery, boolean nullMx) {
    return policy(discovery, nullMx, nullMx);
  }

  /**
   * {@code auth.dmarc_policy}: the policy that applies to mail from the domain.
   *
   * @param nullMx the domain publishes a null MX, so anything weaker than reject warns
   * @param sendsNoMail the domain sends no mail, so the advice recommends p=reject
   */
  public static Finding policy(
      DmarcDiscovery.Discovery discovery, boolean nullMx, boolean sendsNoMail) {
    String domain = discovery.domain();
    Map<String, Object> details = new LinkedHashMap<>();
    if (discovery.inconclusive()) {
      return new Finding(
          Check.AUTH_DMARC_POLICY.id(),
          Status.ERROR,
          domain,
          "could not look up the DMARC record: " + failedLookup(discovery).describe(),
          details,
          null);
    }
    String text = discovery.record();
    DmarcRecord record = text == null ? null : DmarcParser.parse(text);
    DmarcRecord.Policy effective = null;
    if (record != null) {
      effective =
          discovery.inherited() ? record.effectiveSubdomainPolicy() : record.effectivePolicy();
      putPolicyDetails(details, record, discovery, effective);
    }
    String target = sendsNoMail ? "reject" : "quarantine or reject";
    DmarcDiscovery.Level level = discovery.decisive();
    if (record == null && level.records().size() > 1) {
      return new Finding(
          Check.AUTH_DMARC_POLICY.id(),
          Status.FAIL,
          domain,
          "no DMARC policy applies to "
              + domain
              + ": receivers use none of the "
              + level.records().size()
              + " DMARC records at "
              + level.name()
              + " (RFC 7489 §6.6.3)",
          details,
          "Keep exactly one TXT record starting with 'v=DMARC1' at " + level.name() + ".");
    }
    if (effective == null) {
      return new Finding(
          Check.AUTH_DMARC_POLICY.id(),
          Status.FAIL,
          domain,
          record == null
              ? "no DMARC policy applies to " + domain
              : "no DMARC policy applies to "
                  + domain
                  + ": the record at "
                  + level.name()
                  + " has "
                  + receiverFallback(record),
          details,
          publishAdvice(domain, sendsNoMail));
    }
    if (effective == DmarcRecord.Policy.NONE) {
      return new Finding(
          Check.AUTH_DMARC_POLICY.id(),
          Status.FAIL,
          domain,
          record.policyUnusable()
              ? "the DMARC policy is 'none': the record at "
                  + level.name()
                  + " has "
                  + receiverFallback(record)
                  + ", and they deliver mail that fails DMARC as usual"
              : "the DMARC policy is 'none': receivers deliver mail that fails DMARC as usual",
          details,
          sendsNoMail
              ? publishAdvice(domain, true)
              : "Once the aggregate reports show that your own mail passes, set p=quarantine and"
                  + " then p=reject.");
    }

    List<String> weaker = new ArrayList<>();
    if (record.percent() == 0) {
      // RFC 7489 gives failing mail that pct leaves out the next less strict policy.
      weaker.add(
          "pct=0 applies it to none of the failing mail, which receivers then handle as p="
              + (effective == DmarcRecord.Policy.REJECT ? "quarantine" : "none"));
    } else if (record.percent() < 100) {
      weaker.add(
          "pct=" + record.percent() + " applies the policy to only part of the failing mail");
    }
    if (record.testing()) {
      weaker.add("t=y asks receivers to treat the policy as a test");
    }
    if (!discovery.inherited()
        && record.subdomainPolicy() != null
        && record.subdomainPolicy().weakerThan(effective)) {
      weaker.add(
          "sp="
              + record.subdomainPolicy().wireName()
              + " is weaker than p="
              + effective.wireName());
    }
    if (!discovery.inherited()
        && record.nonExistentPolicy() != null
        && record.nonExistentPolicy().weakerThan(effective)) {
      weaker.add(
          "np="
              + record.nonExistentPolicy().wireName()
              + " is weaker than p="
              + effective.wireName());
    }
    if (nullMx && effective != DmarcRecord.Policy.REJECT) {
      weaker.add("a domain that sends no mail should use p=reject");
    }
    String policyText = "p=" + effective.wireName();
    if (discovery.inherited()) {
      String tag = record.subdomainPolicy() == null ? "p=" : "sp=";
      policyText = tag + effective.wireName() + " (inherited from " + level.name() + ")";
    }
    if (!weaker.isEmpty()) {
      return new Finding(
          Check.AUTH_DMARC_POLICY.id(),
          Status.WARN,
          domain,
          "DMARC policy " + policyText + ", but " + String.join("; ", weaker),
          details,
          "Publish the policy in full: remove pct (or set pct=100) and t=y, and give sp and np at"
              + " least the strength of p ("
              + target
              + ").");
    }
    return new Finding(
        Check.AUTH_DMARC_POLICY.id(),
        Status.PASS,
        domain,
        "DMARC policy " + policyText + " applies to all failing mail",
        details,
        null);
  }

  /** Returns the first failed lookup of an inconclusive discovery. */
  private static DnsAnswer failedLookup(DmarcDiscovery.Discovery discovery) {
    return discovery.levels().stream()
        .map(DmarcDiscovery.Level::answer)
        .filter(a -> a.inconclusive() || a.bogus())
        .findFirst()
        .orElseThrow();
  }

  private static void putPolicyDetails(
      Map<String, Object> details,
      DmarcRecord record,
      DmarcDiscovery.Discovery discovery,
      DmarcRecord.Policy effective) {
    details.put("record", record.text());
    details.put("foundAt", "_dmarc." + discovery.policyDomain());
    details.put("effectivePolicy", effective == null ? null : effective.wireName());
    details.put("p", record.policy() == null ? null : record.policy().wireName());
    if (record.subdomainPolicy() != null) {
      details.put("sp", record.subdomainPolicy().wireName());
    }
    details.put("pct", record.percent());
    if (record.nonExistentPolicy() != null) {
      details.put("np", record.nonExistentPolicy().wireName());
    }
    if (record.tags().containsKey("t")) {
      details.put("t", record.testing() ? "y" : "n");
    }
    if (record.psd() != null) {
      details.put("psd", record.psd());
    }
  }

  private static Map<String, Object> discoveryDetails(DmarcDiscovery.Discovery discovery) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("organizationalDomain", discovery.organizationalDomain());
    List<Map<String, Object>> lookups = new ArrayList<>();
    for (DmarcDiscovery.Level level : discovery.levels()) {
      Map<String, Object> lookup = new LinkedHashMap<>();
      lookup.put("name", level.name());
      lookup.put("outcome", level.answer().outcome().name());
      lookup.put("records", level.records().stream().map(TxtStrings::printable).toList());
      if (!level.lookalikes().isEmpty()) {
        lookup.put("ignored", level.lookalikes().stream().map(TxtStrings::printable).toList());
      }
      lookups.add(lookup);
    }
    details.put("lookups", lookups);
    return details;
  }

  /**
   * The authorization lookup of one external report destination (RFC 7489 §7.1).
   *
   * @param uri the destination
   * @param name the name looked up, {@code <domain>._report._dmarc.<host>}
   * @param answer the TXT lookup
   */
  public record Authorization(DmarcRecord.ReportUri uri, String name, DnsAnswer answer) {
    /** True when a TXT record there starts with {@code v=DMARC1}; wildcards count. */
    public boolean authorized() {
      return answer.found()
          && answer.recordsAs(TXTRecord.class).stream()
              .anyMatch(t -> DmarcParser.isDmarcRecord(TxtStrings.join(t)));
    }
  }

  /** Looks up the authorization records of every external destination in the record. */
  public static List<Authorization> authorizations(
      Dns dns, DmarcDiscovery.Discovery discovery, DmarcRecord record) {
    String policyDomain = discovery.policyDomain();
    Set<String> hosts = new LinkedHashSet<>();
    List<Authorization> result = new ArrayList<>();
    List<DmarcRecord.ReportUri> uris = new ArrayList<>(record.aggregateUris());
    uris.addAll(record.failureUris());
    for (DmarcRecord.ReportUri uri : uris) {
      // A destination in the policy domain's own organizational domain needs no authorization.
      if (OrganizationalDomain.same(uri.host(), policyDomain) || !hosts.add(uri.host())) {
        continue;
      }
      String name = policyDomain + "._report._dmarc." + uri.host();
      result.add(new Authorization(uri, name, DnsNames.query(dns, name, Type.TXT)));
    }
    return result;
  }

  /**
   * Describes the report URIs that receivers skip, per tag: "the rua tag has no usable destination"
   * when every URI of the tag is invalid.
   */
  private static List<String> invalidUriProblems(DmarcRecord record) {
    List<String> problems = new ArrayList<>();
    for (String tag : List.of("rua", "ruf")) {
      List<String> invalid =
          record.invalidUris().stream()
              .filter(u -> u.tag().equals(tag))
              .map(u -> "'" + TxtStrings.printable(u.text()) + "'")
              .toList();
      if (invalid.isEmpty()) {
        continue;
      }
      boolean noneUsable =
          (tag.equals("rua") ? record.aggregateUris() : record.failureUris()).isEmpty();
      String uris = (invalid.size() == 1 ? "the invalid URI " : "the invalid URIs ");
      problems.add(
          (noneUsable ? "the " + tag + " tag has no usable destination: " : "")
              + "receivers skip "
              + uris
              + String.join(", ", invalid)
              + (noneUsable ? "" : " in " + tag));
    }
    return problems;
  }

  /** {@code auth.dmarc_report_auth}: every external destination has agreed to receive reports. */
  public static Finding reportAuthorization(
      DmarcDiscovery.Discovery discovery, DmarcRecord record, List<Authorization> authorizations) {
    String domain = discovery.domain();
    Map<String, Object> details = new LinkedHashMap<>();
    if (discovery.inconclusive()) {
      return new Finding(
          Check.AUTH_DMARC_REPORT_AUTH.id(),
          Status.ERROR,
          domain,
          "could not look up the DMARC record, so its report destinations are unknown: "
              + failedLookup(discovery).describe(),
          details,
          null);
    }
    if (record == null) {
      return new Finding(
          Check.AUTH_DMARC_REPORT_AUTH.id(),
          Status.NOT_APPLICABLE,
          domain,
          "no usable DMARC record, so no report destinations",
          details,
          null);
    }
    if (record.effectivePolicy() == null) {
      return new Finding(
          Check.AUTH_DMARC_REPORT_AUTH.id(),
          Status.NOT_APPLICABLE,
          domain,
          "receivers ignore the DMARC record (no valid p tag and no valid rua), so they send no"
              + " reports",
          details,
          null);
    }
    List<String> destinations = new ArrayList<>();
    record.aggregateUris().forEach(u -> destinations.add("rua " + u.text()));
    record.failureUris().forEach(u -> destinations.add("ruf " + u.text()));
    details.put("destinations", destinations);
    if (!record.invalidUris().isEmpty()) {
      details.put(
          "invalid",
          record.invalidUris().stream()
              .map(u -> u.tag() + " " + TxtStrings.printable(u.text()))
              .toList());
    }
    if (destinations.isEmpty() && record.invalidUris().isEmpty()) {
      return new Finding(
          Check.AUTH_DMARC_REPORT_AUTH.id(),
          Status.INFO,
          domain,
          "the DMARC record requests no reports (no rua or ruf)",
          details,
          "Add rua=mailto:dmarc@"
              + discovery.policyDomain()
              + " to receive aggregate reports, which show who sends mail as "
              + domain
              + ".");
    }
    List<Map<String, Object>> checked = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Authorization authorization : authorizations) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("destination", authorization.uri().text());
      entry.put("name", authorization.name());
      entry.put("outcome", authorization.answer().outcome().name());
      entry.put("authorized", authorization.authorized());
      checked.add(entry);
      if (authorization.answer().inconclusive() || authorization.answer().bogus()) {
        failed.add(authorization.name() + " (" + authorization.answer().describe() + ")");
      } else if (!authorization.authorized()) {
        missing.add(authorization.name());
      }
    }
    details.put("external", checked);
    List<String> problems = invalidUriProblems(record);
    List<String> advice = new ArrayList<>();
    if (!problems.isEmpty()) {
      advice.add(
          "Write each report destination as mailto:address@domain, with ',' and '!'"
              + " percent-encoded, for example rua=mailto:dmarc@"
              + discovery.policyDomain()
              + ".");
    }
    if (!missing.isEmpty()) {
      problems.add(
          "receivers will not send reports to an external destination that has not authorized"
              + " them: no 'v=DMARC1' record at "
              + String.join(", ", missing));
      advice.add(
          "Ask the operator of each destination to publish the TXT record 'v=DMARC1' at "
              + String.join(", ", missing)
              + " (RFC 7489 §7.1), or remove the destination.");
    }
    if (!problems.isEmpty()) {
      if (!failed.isEmpty()) {
        problems.add("could not look up the authorization of " + String.join(", ", failed));
      }
      return new Finding(
          Check.AUTH_DMARC_REPORT_AUTH.id(),
          Status.WARN,
          domain,
          String.join("; ", problems),
          details,
          String.join(" ", advice));
    }
    if (!failed.isEmpty()) {
      return new Finding(
          Check.AUTH_DMARC_REPORT_AUTH.id(),
          Status.ERROR,
          domain,
          "could not look up the authorization of " + String.join(", ", failed),
          details,
          null);
    }
    String summary =
        authorizations.isEmpty()
            ? "every report destination is within the organizational domain"
            : "every external report destination has authorized the reports";
    return new Finding(
        Check.AUTH_DMARC_REPORT_AUTH.id(), Status.PASS, domain, summary, details, null);
  }
}
