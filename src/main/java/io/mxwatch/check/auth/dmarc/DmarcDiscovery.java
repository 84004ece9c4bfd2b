package io.mxwatch.check.auth.dmarc;

import io.mxwatch.check.auth.DnsNames;
import io.mxwatch.check.auth.TxtStrings;
import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Policy discovery of RFC 7489 §6.6.3: {@code _dmarc.<domain>}, then the organizational domain. */
public final class DmarcDiscovery {
  private DmarcDiscovery() {}

  /**
   * The lookup at one {@code _dmarc} name.
   *
   * @param domain the domain the name belongs to
   * @param answer the TXT lookup
   * @param records the TXT records that start with {@code v=DMARC1}
   * @param lookalikes other TXT records there that look like DMARC, such as {@code v=dmarc1}
   */
  public record Level(
      String domain, DnsAnswer answer, List<String> records, List<String> lookalikes) {
    public Level {
      records = List.copyOf(records);
      lookalikes = List.copyOf(lookalikes);
    }

    public String name() {
      return "_dmarc." + domain;
    }
  }

  /**
   * The outcome of discovery.
   *
   * @param domain the domain checked
   * @param organizationalDomain its organizational domain
   * @param levels the lookups made: the domain's, then the organizational domain's if needed
   */
  public record Discovery(String domain, String organizationalDomain, List<Level> levels) {
    public Discovery {
      levels = List.copyOf(levels);
    }

    /** Returns the level where discovery stopped: one record, several, or none. */
    public Level decisive() {
      return levels.get(levels.size() - 1);
    }

    /** True when a lookup failed, so the scanner cannot tell whether a policy exists. */
    public boolean inconclusive() {
      return levels.stream().anyMatch(l -> l.answer().inconclusive() || l.answer().bogus());
    }

    /** Returns the single record that applies, or null. */
    public String record() {
      Level level = decisive();
      return level.records().size() == 1 ? level.records().get(0) : null;
    }

    /** True when the record that applies was published at the organizational domain. */
    public boolean inherited() {
      return levels.size() > 1 && record() != null;
    }

    /** Returns the domain whose record applies. */
    public String policyDomain() {
      return decisive().domain();
    }
  }

  /**
   * Discovers the policy of {@code domain} (A-labels).
   *
   * <p>TODO: DMARCbis replaces the Public Suffix List with a DNS tree walk (at most 8 lookups, with
   * the {@code psd} tag); add it beside this RFC 7489 discovery once DMARCbis is published.
   */
  public static Discovery discover(Dns dns, String domain) {
    String ascii = domain.toLowerCase(Locale.ROOT);
    String organizational = OrganizationalDomain.of(ascii);
    List<Level> levels = new ArrayList<>();
    Level own = lookup(dns, ascii);
    levels.add(own);
    // Only an empty set moves discovery up; several records end it (RFC 7489 §6.6.3).
    boolean empty =
        own.records().isEmpty() && !own.answer().inconclusive() && !own.answer().bogus();
    if (empty && !organizational.equals(ascii)) {
      levels.add(lookup(dns, organizational));
    }
    return new Discovery(ascii, organizational, levels);
  }

  private static Level lookup(Dns dns, String domain) {
    DnsAnswer answer = DnsNames.query(dns, "_dmarc." + domain, Type.TXT);
    List<String> records = new ArrayList<>();
    List<String> lookalikes = new ArrayList<>();
    for (TXTRecord txt :
        answer.found() ? answer.recordsAs(TXTRecord.class) : List.<TXTRecord>of()) {
      String text = TxtStrings.join(txt);
      if (DmarcParser.isDmarcRecord(text)) {
        records.add(text);
      } else if (text.strip().toLowerCase(Locale.ROOT).replace(" ", "").startsWith("v=dmarc")) {
        lookalikes.add(text);
      }
    }
    return new Level(domain, answer, records, lookalikes);
  }
}
