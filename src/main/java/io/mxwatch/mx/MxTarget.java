package io.mxwatch.mx;

import io.mxwatch.dns.DnsAnswer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;

/**
 * One MX target with the answers for its addresses.
 *
 * @param name the exchange name from the MX record
 * @param preference the MX preference
 * @param ipv4 the A lookup of the target (CNAMEs followed)
 * @param ipv6 the AAAA lookup of the target (CNAMEs followed)
 */
public record MxTarget(Name name, int preference, DnsAnswer ipv4, DnsAnswer ipv6) {

  /** The host name in A-label form without the trailing dot. */
  public String host() {
    return MxResolution.text(name);
  }

  /** Every address found, IPv4 first. */
  public List<InetAddress> addresses() {
    List<InetAddress> addresses = new ArrayList<>();
    ipv4.recordsAs(ARecord.class).forEach(r -> addresses.add(r.getAddress()));
    ipv6.recordsAs(AAAARecord.class).forEach(r -> addresses.add(r.getAddress()));
    return addresses;
  }

  /** True when the exchange name is an alias, which RFC 2181 §10.3 forbids. */
  public boolean isCname() {
    return !ipv4.cnameChain().isEmpty() || !ipv6.cnameChain().isEmpty();
  }
}
