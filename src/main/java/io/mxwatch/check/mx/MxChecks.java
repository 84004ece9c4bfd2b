package io.mxwatch.check.mx;

import static io.mxwatch.check.Findings.finding;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.Findings;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.Outcome;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxResolver;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.net.AddressPolicy;
import io.mxwatch.net.Addresses;
import io.mxwatch.scan.ScanContext;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;

/** {@code mx.present}, {@code mx.targets} and {@code ipv6.mx_aaaa}. */
public final class MxChecks implements CheckModule {

  @Override
  public List<Check> checks() {
    return List.of(Check.MX_PRESENT, Check.MX_TARGETS, Check.IPV6_MX_AAAA);
  }

  @Override
  public List<Finding> run(ScanContext context) {
    String domain = context.domainText();
    MxResolution mx = context.mx();
    List<Finding> findings = new ArrayList<>();
    findings.add(present(domain, mx));
    if (mx instanceof MxResolution.NullMx || mx.targets().isEmpty()) {
      findings.add(Findings.withoutServers(Check.IPV6_MX_AAAA, domain, mx));
      return findings;
    }
    for (MxTarget target : mx.targets()) {
      findings.add(target(target));
      findings.add(ipv6(target));
    }
    return findings;
  }

  /** {@code mx.present}: what the MX RRset says about where mail goes. */
  public static Finding present(String domain, MxResolution mx) {
    Map<String, Object> details = Findings.details(mx.answer());
    return switch (mx) {
      case MxResolution.Exchangers exchangers -> {
        details.put(
            "mx", exchangers.targets().stream().map(t -> t.preference() + " " + t.host()).toList());
        yield finding(
            Check.MX_PRESENT,
            Status.PASS,
            domain,
            Findings.count(exchangers.targets().size(), "MX record"),
            details,
            null);
      }
      case MxResolution.NullMx nullMx when nullMx.valid() ->
          finding(
              Check.MX_PRESENT,
              Status.INFO,
              domain,
              "null MX: the domain accepts no mail (RFC 7505)",
              details,
              null);
      case MxResolution.NullMx nullMx ->
          finding(
              Check.MX_PRESENT,
              Status.FAIL,
              domain,
              "invalid null MX: " + nullMx.problem(),
              details,
              "Publish either the single record 'MX 0 .' (no mail) or real MX records, not both.");
      case MxResolution.ImplicitMx implicit ->
          finding(
              Check.MX_PRESENT,
              Status.WARN,
              domain,
              "no MX record: senders fall back to the domain's own address (implicit MX)",
              details,
              "Publish an MX record for the mail server, or 'MX 0 .' if the domain takes no mail.");
      case MxResolution.NoMail noMail
          when noMail.answer().outcome() == Outcome.NXDOMAIN
              && !noMail.answer().cnameChain().isEmpty() ->
          finding(
              Check.MX_PRESENT,
              Status.FAIL,
              domain,
              "the domain is an alias (CNAME) of "
                  + MxResolution.text(noMail.answer().canonicalName())
                  + ", which does not exist (NXDOMAIN)",
              details,
              "Point the CNAME at a name that exists, or replace it with the domain's own MX"
                  + " record; mail to an alias of a missing name bounces.");
      case MxResolution.NoMail noMail when noMail.answer().outcome() == Outcome.NXDOMAIN ->
          finding(
              Check.MX_PRESENT,
              Status.FAIL,
              domain,
              "the domain does not exist (NXDOMAIN)",
              details,
              "Check the domain name; a domain that does not exist cannot receive mail.");
      case MxResolution.NoMail noMail ->
          finding(
              Check.MX_PRESENT,
              Status.FAIL,
              domain,
              "no MX record and no address: the domain cannot receive mail",
              details,
              "Publish MX records for the mail servers, or 'MX 0 .' if the domain takes no mail.");
      case MxResolution.Unknown unknown when unknown.answer().bogus() ->
          finding(
              Check.MX_PRESENT,
              Status.FAIL,
              domain,
              "the MX RRset fails DNSSEC validation: " + unknown.answer().reason(),
              details,
              "Fix the DNSSEC signatures of the zone; validating senders cannot find the MX.");
      case MxResolution.Unknown unknown ->
          Findings.lookupError(Check.MX_PRESENT, domain, unknown.answer());
    };
  }

  /** {@code mx.targets}: the exchange must be a host name with addresses, not an alias. */
  public static Finding target(MxTarget target) {
    String host = target.host();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("preference", target.preference());
    details.put("addresses", target.addresses().stream().map(Addresses::text).toList());
    if (MxResolver.isAddressLiteral(target.name())) {
      return finding(
          Check.MX_TARGETS,
          Status.FAIL,
          host,
          "the MX target is an IP address, not a host name",
          details,
          "Point the MX record at a host name that has A/AAAA records (RFC 5321 §5.1).");
    }
    DnsAnswer v4 = target.ipv4();
    DnsAnswer v6 = target.ipv6();
    if (v4.bogus() || v6.bogus()) {
      DnsAnswer bogus = v4.bogus() ? v4 : v6;
      details.putAll(Findings.details(bogus));
      return finding(
          Check.MX_TARGETS,
          Status.FAIL,
          host,
          "the MX host's addresses fail DNSSEC validation: " + bogus.reason(),
          details,
          "Fix the DNSSEC signatures of the MX host's zone.");
    }
    if (target.addresses().isEmpty()) {
      if (v4.inconclusive() || v6.inconclusive()) {
        return Findings.lookupError(Check.MX_TARGETS, host, v4.inconclusive() ? v4 : v6);
      }
      return finding(
          Check.MX_TARGETS,
          Status.FAIL,
          host,
          "the MX host has no A or AAAA record",
          details,
          "Publish A and AAAA records for " + host + " or point the MX at a host that has them.");
    }
    if (target.isCname()) {
      List<String> chain =
          (v4.cnameChain().isEmpty() ? v6 : v4)
              .cnameChain().stream().map(MxResolution::text).toList();
      details.put("cnames", chain);
      return finding(
          Check.MX_TARGETS,
          Status.WARN,
          host,
          "the MX target is an alias (CNAME), which RFC 2181 §10.3 forbids",
          details,
          "Point the MX record at the canonical name " + chain.get(chain.size() - 1) + ".");
    }
    return finding(
        Check.MX_TARGETS,
        Status.PASS,
        host,
        "resolves to " + Findings.count(target.addresses().size(), "address"),
        details,
        null);
  }

  /** {@code ipv6.mx_aaaa}: every MX host needs a usable IPv6 address. */
  public static Finding ipv6(MxTarget target) {
    String host = target.host();
    DnsAnswer answer = target.ipv6();
    Map<String, Object> details = Findings.details(answer);
    if (answer.inconclusive()) {
      return Findings.lookupError(Check.IPV6_MX_AAAA, host, answer);
    }
    List<String> usable = new ArrayList<>();
    List<String> unusable = new ArrayList<>();
    for (AAAARecord record : answer.recordsAs(AAAARecord.class)) {
      byte[] bytes = record.rdataToWireCanonical();
      String text = record.rdataToString();
      String problem = unusableIpv6(bytes);
      if (problem == null) {
        usable.add(text);
      } else {
        unusable.add(text + " (" + problem + ")");
      }
    }
    details.put("usable", usable);
    if (!unusable.isEmpty()) {
      details.put("unusable", unusable);
    }
    if (!usable.isEmpty()) {
      return finding(
          Check.IPV6_MX_AAAA, Status.PASS, host, "has IPv6 address(es) " + usable, details, null);
    }
    String summary =
        unusable.isEmpty()
            ? "no AAAA record"
            : "no usable IPv6 address: " + String.join(", ", unusable);
    return finding(
        Check.IPV6_MX_AAAA,
        Status.FAIL,
        host,
        summary,
        details,
        "Publish a AAAA record with a global IPv6 address for " + host + ".");
  }

  /** Why an AAAA value cannot carry mail over IPv6, or null when it can. */
  static String unusableIpv6(byte[] bytes) {
    if (AddressPolicy.isIpv4Mapped(bytes)) {
      return "IPv4-mapped address";
    }
    if ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xc0) == 0x80) {
      return "link-local address";
    }
    try {
      InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
      if (address.isAnyLocalAddress()) {
        return "unspecified address";
      }
    } catch (UnknownHostException e) {
      return "malformed address";
    }
    return null;
  }
}
