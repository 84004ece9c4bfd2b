package io.mxwatch.dns;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The apex of the zone that holds a name: the closest enclosing name that owns an SOA RRset.
 *
 * @param apex the zone apex, or null when it could not be found
 * @param answer the SOA answer at the apex, or the lookup that stopped the search
 */
public record ZoneApex(Name apex, DnsAnswer answer) {

  /** True when the apex was found. */
  public boolean found() {
    return apex != null;
  }

  /**
   * Walks up from {@code name} with SOA lookups until one is answered at the name itself. A CNAME
   * owner is not an apex (RFC 2181 §10.1), so an SOA reached through a CNAME does not count. The
   * lookups are cached by the scan's DNS session, so other checks that need the apex send nothing.
   */
  public static ZoneApex of(Dns dns, Name name) {
    Name candidate = name;
    while (true) {
      DnsAnswer soa = dns.query(candidate, Type.SOA);
      if (soa.bogus() || soa.inconclusive()) {
        return new ZoneApex(null, soa);
      }
      if (soa.found() && soa.cnameChain().isEmpty()) {
        return new ZoneApex(candidate, soa);
      }
      if (candidate.equals(Name.root)) {
        return new ZoneApex(null, soa);
      }
      candidate = new Name(candidate, 1);
    }
  }
}
