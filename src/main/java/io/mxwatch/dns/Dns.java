package io.mxwatch.dns;

import org.xbill.DNS.Name;

/**
 * The DNS port that probes and checks use. Implementations validate DNSSEC themselves and never
 * throw for network or server faults: those come back as an inconclusive {@link DnsAnswer}.
 */
public interface Dns {

  /** Looks up the RRset of {@code type} at {@code name}, following CNAMEs. */
  DnsAnswer query(Name name, int type);
}
