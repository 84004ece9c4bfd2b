package io.mxwatch.mx;

import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Finds where mail for a domain goes (RFC 5321 §5.1, RFC 7505). */
public final class MxResolver {
  private MxResolver() {}

  public static MxResolution resolve(Name domain, Dns dns) {
    DnsAnswer mx = dns.query(domain, Type.MX);
    if (mx.bogus() || mx.inconclusive()) {
      return new MxResolution.Unknown(mx);
    }
    if (mx.outcome() == io.mxwatch.dns.Outcome.NXDOMAIN) {
      return new MxResolution.NoMail(mx);
    }
    if (mx.found()) {
      return fromRecords(mx, dns);
    }

    // No MX RRset: the domain's own addresses are the implicit MX (RFC 5321 §5.1). A domain that
    // is a CNAME was already followed by the MX lookup, so its target's addresses count.
    Name host = mx.canonicalName();
    MxTarget implicit = new MxTarget(host, 0, dns.query(host, Type.A), dns.query(host, Type.AAAA));
    if (implicit.addresses().isEmpty()) {
      return new MxResolution.NoMail(mx);
    }
    return new MxResolution.ImplicitMx(mx, implicit);
  }

  private static MxResolution fromRecords(DnsAnswer answer, Dns dns) {
    List<MXRecord> records = answer.recordsAs(MXRecord.class);
    List<MXRecord> nullMx = records.stream().filter(r -> r.getTarget().equals(Name.root)).toList();
    if (!nullMx.isEmpty()) {
      String problem = null;
      if (records.size() > 1) {
        problem = "null MX stands next to other MX records (RFC 7505 §3: it must be the only one)";
      } else if (nullMx.get(0).getPriority() != 0) {
        problem =
            "null MX has preference " + nullMx.get(0).getPriority() + " instead of 0 (RFC 7505 §3)";
      }
      return new MxResolution.NullMx(answer, problem == null, problem);
    }
    List<MxTarget> targets =
        records.stream()
            .sorted(
                Comparator.comparingInt(MXRecord::getPriority).thenComparing(MXRecord::getTarget))
            .map(r -> target(r, dns))
            .toList();
    return new MxResolution.Exchangers(answer, targets);
  }

  private static MxTarget target(MXRecord record, Dns dns) {
    Name name = record.getTarget();
    return new MxTarget(
        name, record.getPriority(), dns.query(name, Type.A), dns.query(name, Type.AAAA));
  }

  /** True when an MX target is written as an IPv4 address, which RFC 7505 §4 and 5321 forbid. */
  public static boolean isAddressLiteral(Name name) {
    String text = name.toString(true);
    return text.matches("\\[?[0-9]{1,3}(\\.[0-9]{1,3}){3}]?") || text.contains(":");
  }
}
