package io.mxwatch.dns;

import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * The DNS port that probes and checks use. Implementations validate DNSSEC themselves and never
 * throw for network or server faults: those come back as an inconclusive {@link DnsAnswer}.
 */
public interface Dns {

  /** Looks up the RRset of {@code type} at {@code name}, following CNAMEs. */
  DnsAnswer query(Name name, int type);

  /**
   * Sends one non-recursive query straight to a name server (not through the resolvers), as a
   * reachability probe does. The answer is not validated, so its security is {@link
   * Security#INDETERMINATE}; its outcome tells whether and how the server answered.
   */
  default DnsAnswer queryServer(InetAddress server, Name name, int type) {
    return DnsAnswer.failure(
        name, type, Outcome.FAILED, "this DNS implementation cannot query name servers directly");
  }
}
