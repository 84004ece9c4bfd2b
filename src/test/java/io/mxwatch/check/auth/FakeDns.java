package io.mxwatch.check.auth;

import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.Outcome;
import io.mxwatch.dns.Security;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An in-memory {@link Dns} for unit tests: records by owner name, CNAME following, wildcards (RFC
 * 4592, simplified to the closest existing ancestor), empty non-terminals and names or RRsets that
 * time out.
 */
public final class FakeDns implements Dns {
  private static final long TTL = 300;

  private final Map<Name, List<Record>> records = new LinkedHashMap<>();
  private final Set<Name> timeoutNames = new HashSet<>();
  private final Map<Name, Set<Integer>> timeoutTypes = new HashMap<>();
  private final Map<Name, Set<Integer>> servfailTypes = new HashMap<>();
  private final AtomicInteger queries = new AtomicInteger();

  /** Adds one record in master-file syntax, such as {@code add("example.org", "MX", "10 mx")}. */
  public FakeDns add(String owner, String type, String rdata) {
    try {
      Name name = name(owner);
      Record record = Record.fromString(name, Type.value(type), DClass.IN, TTL, rdata, Name.root);
      records.computeIfAbsent(name, n -> new ArrayList<>()).add(record);
      return this;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          owner + " " + type + " " + rdata + ": " + e.getMessage(), e);
    }
  }

  /** Adds a TXT record of one or more character-strings, each taken byte for byte (ISO-8859-1). */
  public FakeDns txt(String owner, String... strings) {
    List<byte[]> bytes = new ArrayList<>();
    for (String s : strings) {
      bytes.add(s.getBytes(StandardCharsets.ISO_8859_1));
    }
    return txtBytes(owner, bytes);
  }

  /** Adds a TXT record whose character-strings are given as raw bytes. */
  public FakeDns txtBytes(String owner, List<byte[]> strings) {
    ByteArrayOutputStream rdata = new ByteArrayOutputStream();
    for (byte[] s : strings) {
      if (s.length > 255) {
        throw new IllegalArgumentException("a character-string holds at most 255 bytes");
      }
      rdata.write(s.length);
      rdata.writeBytes(s);
    }
    Name name = name(owner);
    Record record = Record.newRecord(name, Type.TXT, DClass.IN, TTL, rdata.toByteArray());
    records.computeIfAbsent(name, n -> new ArrayList<>()).add(record);
    return this;
  }

  /** Adds a TXT record, splitting text longer than 255 characters into several strings. */
  public FakeDns longTxt(String owner, String text) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 255) {
      pieces.add(text.substring(i, Math.min(text.length(), i + 255)));
    }
    return txt(owner, pieces.toArray(String[]::new));
  }

  /** Every query for {@code owner} whose type has no records there times out. */
  public FakeDns timeout(String owner) {
    timeoutNames.add(name(owner));
    return this;
  }

  /** Queries of {@code type} at {@code owner} time out. */
  public FakeDns timeout(String owner, String type) {
    timeoutTypes.computeIfAbsent(name(owner), n -> new HashSet<>()).add(Type.value(type));
    return this;
  }

  /** Queries of {@code type} at {@code owner} fail with SERVFAIL. */
  public FakeDns servfail(String owner, String type) {
    servfailTypes.computeIfAbsent(name(owner), n -> new HashSet<>()).add(Type.value(type));
    return this;
  }

  public int queries() {
    return queries.get();
  }

  @Override
  public DnsAnswer query(Name name, int type) {
    queries.incrementAndGet();
    List<Name> chain = new ArrayList<>();
    Name current = name;
    for (int hop = 0; hop <= 8; hop++) {
      Outcome failure = failure(current, type);
      if (failure != null) {
        return new DnsAnswer(
            name,
            type,
            failure,
            List.of(),
            chain,
            Security.INDETERMINATE,
            -1,
            failure + " at " + current,
            List.of());
      }
      List<Record> owned = owned(current);
      List<Record> matching = owned.stream().filter(r -> r.getType() == type).toList();
      if (!matching.isEmpty()) {
        return answer(name, type, Outcome.ANSWER, matching, chain);
      }
      List<Record> cname = owned.stream().filter(r -> r.getType() == Type.CNAME).toList();
      if (!cname.isEmpty() && type != Type.CNAME) {
        Name target = ((CNAMERecord) cname.get(0)).getTarget();
        if (target.equals(name) || chain.contains(target)) {
          return new DnsAnswer(
              name,
              type,
              Outcome.FAILED,
              List.of(),
              chain,
              Security.INDETERMINATE,
              -1,
              "CNAME loop at " + target,
              List.of());
        }
        chain.add(target);
        current = target;
        continue;
      }
      if (!owned.isEmpty() || isEmptyNonTerminal(current)) {
        return answer(name, type, Outcome.NODATA, List.of(), chain);
      }
      return answer(name, type, Outcome.NXDOMAIN, List.of(), chain);
    }
    return new DnsAnswer(
        name,
        type,
        Outcome.FAILED,
        List.of(),
        chain,
        Security.INDETERMINATE,
        -1,
        "CNAME chain too long",
        List.of());
  }

  private Outcome failure(Name name, int type) {
    if (timeoutTypes.getOrDefault(name, Set.of()).contains(type)) {
      return Outcome.TIMEOUT;
    }
    if (servfailTypes.getOrDefault(name, Set.of()).contains(type)) {
      return Outcome.SERVFAIL;
    }
    if (timeoutNames.contains(name)) {
      boolean hasType =
          records.getOrDefault(name, List.of()).stream().anyMatch(r -> r.getType() == type);
      return hasType ? null : Outcome.TIMEOUT;
    }
    return null;
  }

  /** Records at {@code name}, or synthesized from a wildcard when the name does not exist. */
  private List<Record> owned(Name name) {
    List<Record> exact = records.get(name);
    if (exact != null) {
      return exact;
    }
    if (isEmptyNonTerminal(name)) {
      return List.of();
    }
    for (int strip = 1; strip < name.labels(); strip++) {
      Name parent = new Name(name, strip);
      if (records.containsKey(parent) || isEmptyNonTerminal(parent)) {
        Name wildcard = wildcardOf(parent);
        List<Record> synthesized = new ArrayList<>();
        for (Record r : records.getOrDefault(wildcard, List.of())) {
          synthesized.add(r.withName(name));
        }
        return synthesized;
      }
      Name wildcard = wildcardOf(parent);
      if (records.containsKey(wildcard)) {
        List<Record> synthesized = new ArrayList<>();
        for (Record r : records.get(wildcard)) {
          synthesized.add(r.withName(name));
        }
        return synthesized;
      }
    }
    return List.of();
  }

  private static Name wildcardOf(Name parent) {
    try {
      return Name.concatenate(Name.fromString("*"), parent);
    } catch (org.xbill.DNS.NameTooLongException e) {
      return parent;
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean isEmptyNonTerminal(Name name) {
    for (Name owner : records.keySet()) {
      if (!owner.equals(name) && owner.subdomain(name)) {
        return true;
      }
    }
    return false;
  }

  private static DnsAnswer answer(
      Name name, int type, Outcome outcome, List<Record> records, List<Name> chain) {
    return new DnsAnswer(
        name, type, outcome, records, chain, Security.INSECURE, -1, null, List.of());
  }

  private static Name name(String owner) {
    try {
      String text = owner.endsWith(".") ? owner : owner + ".";
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid owner name " + owner, e);
    }
  }
}
