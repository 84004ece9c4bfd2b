package io.mxwatch.tls;

import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.Outcome;
import io.mxwatch.dns.Security;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** An in-memory DNS port: just the MX and A records a TLS test needs, no network. */
public final class FakeDns implements Dns {
  private final Map<String, List<Record>> records = new HashMap<>();

  public static Name name(String text) {
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** Adds {@code domain MX 10 host} and {@code host A address}. */
  public FakeDns mx(String domain, String host, InetAddress address) {
    Name domainName = name(domain);
    Name hostName = name(host);
    add(domainName, Type.MX, new MXRecord(domainName, DClass.IN, 300, 10, hostName));
    add(hostName, Type.A, new ARecord(hostName, DClass.IN, 300, address));
    return this;
  }

  private void add(Name name, int type, Record record) {
    records.computeIfAbsent(name + "/" + type, k -> new ArrayList<>()).add(record);
  }

  @Override
  public DnsAnswer query(Name name, int type) {
    List<Record> found = records.getOrDefault(name + "/" + type, List.of());
    Outcome outcome = found.isEmpty() ? Outcome.NODATA : Outcome.ANSWER;
    return new DnsAnswer(
        name, type, outcome, found, List.of(), Security.INSECURE, -1, null, List.of());
  }
}
