package io.mxwatch.testworld;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A zone of the test world: records written in zone-file syntax, signed (with NSEC) by default.
 * Changes take effect on the next query: the zone is re-signed lazily.
 */
public final class Zone {
  private final DnsWorld world;
  private final Name origin;
  private final TreeMap<Name, List<Record>> records = new TreeMap<>();
  private final Set<Name> timeouts = new HashSet<>();
  private final Set<Name> servfails = new HashSet<>();
  private boolean signed = true;
  private int algorithm = DNSSEC.Algorithm.ECDSAP256SHA256;
  private ZoneKey key;
  private DnssecFault fault = DnssecFault.NONE;
  private Instant signatureExpiration;
  private volatile SignedZone snapshot;

  Zone(DnsWorld world, Name origin) {
    this.world = world;
    this.origin = origin;
  }

  public Name origin() {
    return origin;
  }

  /**
   * Adds records in zone-file syntax relative to the zone origin, one or more lines, e.g. {@code "@
   * MX 10 mx1"} or {@code "mx1 A 127.0.0.2"}. The default TTL is 300.
   */
  public Zone add(String zoneFileText) {
    String text = "$ORIGIN " + origin + "\n$TTL 300\n" + zoneFileText + "\n";
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), origin, 300)) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        add(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("invalid zone data for " + origin + ": " + zoneFileText, e);
    }
    return this;
  }

  /** Adds one record; its owner must be at or below the origin. */
  public synchronized Zone add(Record record) {
    if (!record.getName().subdomain(origin)) {
      throw new IllegalArgumentException(record.getName() + " is outside zone " + origin);
    }
    records.computeIfAbsent(record.getName(), n -> new ArrayList<>()).add(record);
    changed();
    return this;
  }

  /** Removes every record of {@code type} at {@code owner} (relative or absolute). */
  public synchronized Zone remove(String owner, int type) {
    Name name = name(owner);
    List<Record> list = records.get(name);
    if (list != null) {
      list.removeIf(r -> r.getType() == type);
      if (list.isEmpty()) {
        records.remove(name);
      }
    }
    changed();
    return this;
  }

  /** Replaces every record of the given type at the owner with the given zone-file lines. */
  public Zone replace(String owner, int type, String zoneFileText) {
    remove(owner, type);
    return add(zoneFileText);
  }

  /** Publishes the zone without DNSSEC; the parent then has no DS. */
  public synchronized Zone unsigned() {
    signed = false;
    key = null;
    changed();
    return this;
  }

  /** Signs with another DNSSEC algorithm (a new key is generated). */
  public synchronized Zone algorithm(int dnssecAlgorithm) {
    algorithm = dnssecAlgorithm;
    key = null;
    changed();
    return this;
  }

  public synchronized Zone fault(DnssecFault newFault) {
    fault = newFault;
    changed();
    return this;
  }

  /** Lets every signature of the zone expire at the given instant. */
  public synchronized Zone signaturesExpireAt(Instant expiration) {
    signatureExpiration = expiration;
    changed();
    return this;
  }

  /** Queries for this name (any type) get no answer at all. */
  public synchronized Zone timeout(String owner) {
    timeouts.add(name(owner));
    changed();
    return this;
  }

  /** Queries for this name (any type) get SERVFAIL. */
  public synchronized Zone servfail(String owner) {
    servfails.add(name(owner));
    changed();
    return this;
  }

  public boolean isSigned() {
    return signed;
  }

  public DnssecFault fault() {
    return fault;
  }

  synchronized ZoneKey key() {
    if (signed && key == null) {
      key = ZoneKey.generate(origin, algorithm);
    }
    return key;
  }

  /** The absolute form of a name written relative to this zone ({@code @} is the apex). */
  public Name name(String owner) {
    try {
      if (owner.equals("@")) {
        return origin;
      }
      return Name.fromString(owner, origin);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid name " + owner, e);
    }
  }

  private void changed() {
    snapshot = null;
    world.zoneChanged(this);
  }

  void invalidate() {
    snapshot = null;
  }

  synchronized SignedZone snapshot() {
    SignedZone current = snapshot;
    if (current == null) {
      current = SignedZone.build(this, world.childrenOf(this), copyRecords());
      snapshot = current;
    }
    return current;
  }

  private List<Record> copyRecords() {
    List<Record> all = new ArrayList<>();
    records.values().forEach(all::addAll);
    return all;
  }

  synchronized boolean timesOut(Name name) {
    return timeouts.contains(name);
  }

  synchronized boolean failsWithServfail(Name name) {
    return servfails.contains(name);
  }

  Instant inception() {
    Instant now = Instant.now();
    return switch (fault) {
      case SIGNATURES_NOT_YET_VALID -> now.plus(Duration.ofDays(1));
      case EXPIRED_SIGNATURES -> now.minus(Duration.ofDays(30));
      default -> now.minus(Duration.ofHours(1));
    };
  }

  Instant expiration() {
    if (fault == DnssecFault.EXPIRED_SIGNATURES) {
      return Instant.now().minus(Duration.ofDays(1));
    }
    if (fault == DnssecFault.SIGNATURES_NOT_YET_VALID) {
      return Instant.now().plus(Duration.ofDays(30));
    }
    return signatureExpiration != null
        ? signatureExpiration
        : Instant.now().plus(Duration.ofDays(30));
  }

  boolean hasType(int type) {
    return records.values().stream().flatMap(List::stream).anyMatch(r -> r.getType() == type);
  }

  @Override
  public String toString() {
    return "zone " + origin + (signed ? " (signed)" : " (unsigned)");
  }

  static boolean isApexType(int type) {
    return type == Type.SOA || type == Type.DNSKEY;
  }
}
