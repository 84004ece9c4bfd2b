package io.mxwatch.testworld;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** An immutable, signed view of a {@link Zone}: RRsets with their RRSIGs and the NSEC chain. */
final class SignedZone {
  private static final long NEGATIVE_TTL = 300;

  final Zone zone;
  final Name origin;
  private final TreeMap<Name, Map<Integer, RRset>> nodes = new TreeMap<>();
  private final TreeMap<Name, RRset> nsecs = new TreeMap<>();
  private final TreeSet<Name> delegations = new TreeSet<>();

  private SignedZone(Zone zone) {
    this.zone = zone;
    this.origin = zone.origin();
  }

  static SignedZone build(Zone zone, List<Zone> children, List<Record> records) {
    SignedZone signed = new SignedZone(zone);
    Name origin = zone.origin();
    List<Record> all = new ArrayList<>(records);
    if (records.stream().noneMatch(r -> r.getType() == Type.SOA && r.getName().equals(origin))) {
      all.add(defaultSoa(origin));
    }
    if (records.stream().noneMatch(r -> r.getType() == Type.NS && r.getName().equals(origin))) {
      all.add(new NSRecord(origin, DClass.IN, 3600, child(origin, "ns1")));
    }
    ZoneKey key = zone.key();
    if (key != null) {
      all.add(key.dnskey());
    }
    for (Zone childZone : children) {
      Name apex = childZone.origin();
      signed.delegations.add(apex);
      all.add(new NSRecord(apex, DClass.IN, 3600, child(apex, "ns1")));
      if (childZone.isSigned()) {
        all.add(
            childZone.fault() == DnssecFault.DS_MISMATCH
                ? unrelatedDs(childZone)
                : childZone.key().ds());
      }
    }
    for (Record record : all) {
      signed
          .nodes
          .computeIfAbsent(record.getName(), n -> new LinkedHashMap<>())
          .computeIfAbsent(record.getType(), t -> new RRset())
          .addRR(record);
    }
    if (key != null) {
      signed.signAll(key);
    }
    return signed;
  }

  private void signAll(ZoneKey key) {
    boolean strip = zone.fault() == DnssecFault.STRIPPED_SIGNATURES;
    List<Name> owners = new ArrayList<>(nodes.keySet());
    for (int i = 0; i < owners.size(); i++) {
      Name owner = owners.get(i);
      Name next = owners.get((i + 1) % owners.size());
      Map<Integer, RRset> node = nodes.get(owner);
      TreeSet<Integer> types = new TreeSet<>(node.keySet());
      types.add(Type.RRSIG);
      types.add(Type.NSEC);
      RRset nsec = new RRset();
      nsec.addRR(
          new NSECRecord(
              owner,
              DClass.IN,
              NEGATIVE_TTL,
              next,
              types.stream().mapToInt(Integer::intValue).toArray()));
      nsecs.put(owner, nsec);
    }
    if (strip) {
      return;
    }
    for (var entry : nodes.entrySet()) {
      boolean delegation = delegations.contains(entry.getKey());
      for (RRset rrset : entry.getValue().values()) {
        // At a zone cut only the DS RRset belongs to this zone (RFC 4035 §2.2).
        if (delegation && rrset.getType() != Type.DS) {
          continue;
        }
        sign(rrset, key);
      }
    }
    nsecs.values().forEach(rrset -> sign(rrset, key));
  }

  private void sign(RRset rrset, ZoneKey key) {
    try {
      RRSIGRecord signature =
          DNSSEC.sign(rrset, key.dnskey(), key.privateKey(), zone.inception(), zone.expiration());
      rrset.addRR(signature);
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot sign " + rrset.getName(), e);
    }
  }

  private static final Map<Name, ZoneKey> UNRELATED_KEYS = new HashMap<>();

  private static synchronized Record unrelatedDs(Zone childZone) {
    ZoneKey other =
        UNRELATED_KEYS.computeIfAbsent(
            childZone.origin(), n -> ZoneKey.generate(n, childZone.key().algorithm()));
    return other.ds();
  }

  private static SOARecord defaultSoa(Name origin) {
    return new SOARecord(
        origin,
        DClass.IN,
        3600,
        child(origin, "ns1"),
        child(origin, "hostmaster"),
        1,
        3600,
        600,
        86400,
        NEGATIVE_TTL);
  }

  private static Name child(Name origin, String label) {
    try {
      return Name.concatenate(Name.fromString(label), origin);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Map<Integer, RRset> node(Name name) {
    return nodes.get(name);
  }

  boolean isDelegation(Name name) {
    return delegations.contains(name);
  }

  /** True when the name owns records or is an empty non-terminal above names that do. */
  boolean exists(Name name) {
    if (nodes.containsKey(name)) {
      return true;
    }
    Name after = nodes.higherKey(name);
    return after != null && after.subdomain(name);
  }

  RRset soa() {
    return nodes.get(origin).get(Type.SOA);
  }

  boolean signed() {
    return !nsecs.isEmpty();
  }

  /** The NSEC RRset at {@code name}, for NODATA answers, or null when the name owns none. */
  RRset nsecAt(Name name) {
    return nsecs.get(name);
  }

  /** The NSEC whose owner sorts last at or before {@code name}: it proves what lies in between. */
  RRset nsecCovering(Name name) {
    var entry = nsecs.floorEntry(name);
    return entry != null ? entry.getValue() : nsecs.lastEntry().getValue();
  }

  /** The longest ancestor of {@code name} (within the zone) that exists. */
  Name closestEncloser(Name name) {
    Name candidate = name;
    while (candidate.labels() > origin.labels()) {
      candidate = new Name(candidate, 1);
      if (exists(candidate)) {
        return candidate;
      }
    }
    return origin;
  }
}
