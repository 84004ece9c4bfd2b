package io.mxwatch.check.ipv6;

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
import io.mxwatch.net.Addresses;
import io.mxwatch.scan.ScanContext;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * {@code ipv6.ns_aaaa} and {@code ipv6.ns_reach}: can an IPv6-only resolver reach the name servers
 * of the domain's zone. Like internet.nl, at least two name servers need an IPv6 address, and each
 * IPv6 address must answer a DNS query.
 */
public final class NameServerIpv6Checks implements CheckModule {

  /** IPv6-only resolvers need a second server when one is down; internet.nl requires two too. */
  static final int MIN_NAME_SERVERS_WITH_AAAA = 2;

  /**
   * The name servers of the zone with their AAAA lookups.
   *
   * @param zone the zone apex, or null when it was not found
   * @param ns the NS lookup at the apex, or the lookup that failed to find the apex
   * @param hosts each NS host with its AAAA lookup, in NS RRset order
   */
  public record NameServers(Name zone, DnsAnswer ns, List<Host> hosts) {
    public NameServers {
      hosts = List.copyOf(hosts);
    }
  }

  /** One NS host and its AAAA lookup. */
  public record Host(Name name, DnsAnswer aaaa) {
    public String text() {
      return MxResolution.text(name);
    }

    public List<InetAddress> addresses() {
      return aaaa.recordsAs(AAAARecord.class).stream().map(AAAARecord::getAddress).toList();
    }
  }

  @Override
  public List<Check> checks() {
    return List.of(Check.IPV6_NS_AAAA, Check.IPV6_NS_REACH);
  }

  @Override
  public List<Finding> run(ScanContext context) {
    NameServers servers = nameServers(context.dns(), context.domain());
    List<Finding> findings = new ArrayList<>();
    findings.add(gradeAaaa(context.domainText(), servers));
    findings.addAll(reach(context, servers));
    return findings;
  }

  static NameServers nameServers(Dns dns, Name domain) {
    ZoneApex zone = ZoneApex.of(dns, domain);
    if (!zone.found()) {
      return new NameServers(null, zone.answer(), List.of());
    }
    DnsAnswer ns = dns.query(zone.apex(), Type.NS);
    List<Host> hosts = new ArrayList<>();
    for (NSRecord record : ns.recordsAs(NSRecord.class)) {
      hosts.add(new Host(record.getTarget(), dns.query(record.getTarget(), Type.AAAA)));
    }
    return new NameServers(zone.apex(), ns, hosts);
  }

  /** {@code ipv6.ns_aaaa}: at least two NS hosts have an AAAA record. */
  public static Finding gradeAaaa(String domain, NameServers servers) {
    DnsAnswer ns = servers.ns();
    if (servers.zone() == null || ns.bogus() || ns.inconclusive()) {
      return finding(
          Check.IPV6_NS_AAAA,
          Status.ERROR,
          domain,
          "cannot find the name servers: " + ns.describe(),
          Findings.details(ns),
          null);
    }

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("zone", MxResolution.text(servers.zone()));
    Map<String, Object> perHost = new LinkedHashMap<>();
    List<String> withAaaa = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Host host : servers.hosts()) {
      if (!host.addresses().isEmpty()) {
        withAaaa.add(host.text());
        perHost.put(host.text(), host.addresses().stream().map(Addresses::text).toList());
      } else if (host.aaaa().inconclusive() || host.aaaa().bogus()) {
        unknown.add(host.text());
        perHost.put(host.text(), host.aaaa().describe());
      } else {
        perHost.put(host.text(), "no AAAA (" + host.aaaa().outcome() + ")");
      }
    }
    details.put("nameServers", perHost);

    String counted = withAaaa.size() + " of " + servers.hosts().size() + " name servers";
    if (withAaaa.size() >= MIN_NAME_SERVERS_WITH_AAAA) {
      return finding(
          Check.IPV6_NS_AAAA,
          Status.PASS,
          domain,
          counted + " have an IPv6 address",
          details,
          null);
    }
    if (!unknown.isEmpty()) {
      return finding(
          Check.IPV6_NS_AAAA,
          Status.ERROR,
          domain,
          counted + " have an IPv6 address; the AAAA lookup failed for " + unknown,
          details,
          null);
    }
    return finding(
        Check.IPV6_NS_AAAA,
        Status.FAIL,
        domain,
        counted + " have an IPv6 address; at least " + MIN_NAME_SERVERS_WITH_AAAA + " are needed",
        details,
        "Give at least two name servers of "
            + MxResolution.text(servers.zone())
            + " an IPv6 address (AAAA record), so that IPv6-only resolvers can reach the zone.");
  }

  /** {@code ipv6.ns_reach}: one finding per NS IPv6 address. */
  static List<Finding> reach(ScanContext context, NameServers servers) {
    String domain = context.domainText();
    if (servers.zone() == null || servers.ns().inconclusive() || servers.ns().bogus()) {
      return List.of(
          finding(
              Check.IPV6_NS_REACH,
              Status.ERROR,
              domain,
              "cannot find the name servers: " + servers.ns().describe(),
              Findings.details(servers.ns()),
              null));
    }
    List<Finding> findings = new ArrayList<>();
    for (Host host : servers.hosts()) {
      for (InetAddress address : host.addresses()) {
        String target = host.text() + "/" + Addresses.text(address);
        var rejection = context.addressPolicy().rejectionReason(address);
        if (rejection.isPresent()) {
          findings.add(
              finding(
                  Check.IPV6_NS_REACH,
                  Status.ERROR,
                  target,
                  "not probed: " + rejection.get(),
                  Map.of(),
                  null));
          continue;
        }
        DnsAnswer reply = context.dns().queryServer(address, servers.zone(), Type.SOA);
        findings.add(gradeReach(target, servers.zone(), reply));
      }
    }
    if (findings.isEmpty()) {
      findings.add(
          finding(
              Check.IPV6_NS_REACH,
              Status.NOT_APPLICABLE,
              domain,
              "no name server has an IPv6 address (see ipv6.ns_aaaa)"));
    }
    return findings;
  }

  /** The verdict for one NS address from its reply to an SOA query for the zone. */
  public static Finding gradeReach(String target, Name zone, DnsAnswer reply) {
    Map<String, Object> details = Findings.details(reply);
    String question = "SOA " + MxResolution.text(zone);
    return switch (reply.outcome()) {
      case ANSWER, NODATA, NXDOMAIN ->
          finding(
              Check.IPV6_NS_REACH,
              Status.PASS,
              target,
              "answers DNS over IPv6 (" + question + ": " + reply.outcome() + ")",
              details,
              null);
      case REFUSED, SERVFAIL ->
          finding(
              Check.IPV6_NS_REACH,
              Status.WARN,
              target,
              "reachable over IPv6 but answers "
                  + reply.outcome()
                  + " for "
                  + question
                  + ": the server does not serve the zone (lame delegation)",
              details,
              "Serve the zone on this address or remove the address from the name server.");
      // TODO: a scanner whose own IPv6 traffic is silently dropped sees every name server time out
      // and fails them all; probe a known-good IPv6 server first and report an error instead.
      case TIMEOUT ->
          finding(
              Check.IPV6_NS_REACH,
              Status.FAIL,
              target,
              "no DNS answer over IPv6: " + reply.reason(),
              details,
              "Check that the name server listens on this IPv6 address (UDP and TCP port 53)"
                  + " and that no firewall drops IPv6 DNS traffic.");
      case FAILED ->
          // Local faults such as "network unreachable" land here: they say nothing about the
          // name server, so the scanner cannot tell.
          finding(
              Check.IPV6_NS_REACH,
              Status.ERROR,
              target,
              "DNS query over IPv6 failed: " + reply.reason(),
              details,
              null);
    };
  }
}
