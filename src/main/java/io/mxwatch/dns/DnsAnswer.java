package io.mxwatch.dns;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The result of one lookup, with its DNSSEC status.
 *
 * @param name the name asked for
 * @param type the RR type asked for
 * @param outcome how the lookup ended
 * @param records the RRset of {@code type} at the end of the CNAME chain; empty unless ANSWER
 * @param cnameChain the CNAME targets followed from {@code name}, in order
 * @param security the DNSSEC status of the answer
 * @param edeCode the RFC 8914 extended DNS error code that explains a bogus or failed answer, or -1
 * @param reason why the answer is bogus or why the lookup failed, or null
 * @param signatures RRSIGs that cover the answer's RRsets (the CNAMEs and the final RRset) or, for
 *     NXDOMAIN and NODATA, the SOA and NSEC or NSEC3 records that prove the denial
 */
public record DnsAnswer(
    Name name,
    int type,
    Outcome outcome,
    List<Record> records,
    List<Name> cnameChain,
    Security security,
    int edeCode,
    String reason,
    List<RRSIGRecord> signatures) {

  public DnsAnswer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(security, "security");
    records = List.copyOf(records);
    cnameChain = List.copyOf(cnameChain);
    signatures = List.copyOf(signatures);
  }

  /** An answer for a lookup that ended without a usable response. */
  public static DnsAnswer failure(Name name, int type, Outcome outcome, String reason) {
    return new DnsAnswer(
        name, type, outcome, List.of(), List.of(), Security.INDETERMINATE, -1, reason, List.of());
  }

  /** True when the data exists: the outcome is ANSWER. */
  public boolean found() {
    return outcome == Outcome.ANSWER;
  }

  /** True when the validator rejected the answer. */
  public boolean bogus() {
    return security == Security.BOGUS;
  }

  /**
   * True when the lookup says nothing about the data: a timeout, an upstream SERVFAIL, REFUSED or a
   * malformed answer. A bogus answer is not inconclusive; it is a DNSSEC failure of the zone.
   */
  public boolean inconclusive() {
    return outcome.inconclusive() && !bogus();
  }

  /** True when the name or type provably does not exist (NXDOMAIN or NODATA). */
  public boolean absent() {
    return outcome == Outcome.NXDOMAIN || outcome == Outcome.NODATA;
  }

  /** The name at the end of the CNAME chain: where the data was found or found missing. */
  public Name canonicalName() {
    return cnameChain.isEmpty() ? name : cnameChain.get(cnameChain.size() - 1);
  }

  /** The records cast to their type; the caller asked for that type. */
  public <T extends Record> List<T> recordsAs(Class<T> recordClass) {
    return records.stream().filter(recordClass::isInstance).map(recordClass::cast).toList();
  }

  /** A short text such as {@code example.org/MX: NXDOMAIN (insecure)}. */
  public String describe() {
    String text = name + "/" + Type.string(type) + ": " + outcome;
    if (reason != null) {
      text += " (" + reason + ")";
    }
    return text;
  }
}
