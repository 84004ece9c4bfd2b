package io.mxwatch.testworld;

import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DnsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A private DNS hierarchy on loopback: a signed root whose key is the trust anchor, a signed {@code
 * test.} TLD, and one zone per scenario. Zones are delegated from their closest ancestor zone
 * automatically, with a DS when they are signed.
 *
 * <pre>{@code
 * try (DnsWorld world = new DnsWorld().start()) {
 *   world.zone("example.test.").add("@ MX 10 mx1\nmx1 A 127.0.0.2");
 *   DnsService dns = world.dnsService();
 * }
 * }</pre>
 */
public final class DnsWorld implements AutoCloseable {
  private final TreeMap<Name, Zone> zones = new TreeMap<>();
  private final Responder responder = new Responder(this);
  private DnsServer server;

  public DnsWorld() {
    zone(".");
    zone("test.");
  }

  /** The zone with this origin, created (and delegated from its parent zone) when new. */
  public synchronized Zone zone(String origin) {
    Name name = absolute(origin);
    Zone zone = zones.get(name);
    if (zone == null) {
      zone = new Zone(this, name);
      zones.put(name, zone);
      invalidateAll();
    }
    return zone;
  }

  public synchronized Zone root() {
    return zones.get(Name.root);
  }

  /** Starts the server on 127.0.0.1 with a free port for UDP and TCP. */
  public DnsWorld start() {
    return start(InetAddress.getLoopbackAddress(), 0);
  }

  public synchronized DnsWorld start(InetAddress address, int port) {
    try {
      server = new DnsServer(responder, address, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test DNS server", e);
    }
    return this;
  }

  /** Where the server listens; point a resolver list at it. */
  public InetSocketAddress address() {
    if (server == null) {
      throw new IllegalStateException("the DNS world is not started");
    }
    return server.address();
  }

  /** Decides per query whether to misbehave (time out, SERVFAIL, wrong ID...). */
  public void faults(Function<Message, DnsFault> plan) {
    responder.faults(plan);
  }

  /** The root key as a DS record in zone-file form: the trust anchor of this world. */
  public String trustAnchor() {
    return root().key().ds().toString() + "\n";
  }

  /** Writes the trust anchor to a file in {@code directory} and returns its path. */
  public Path writeTrustAnchor(Path directory) {
    try {
      Path file = directory.resolve("world-anchor.ds");
      Files.writeString(file, trustAnchor());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** DNS settings that send every query to this world and trust its root. */
  public DnsSettings dnsSettings(Path directory) {
    return new DnsSettings(
        List.of(address()),
        Duration.ofSeconds(2),
        1,
        Duration.ofSeconds(60),
        writeTrustAnchor(directory),
        Clock.systemUTC());
  }

  public DnsService dnsService(Path directory) {
    return new DnsService(dnsSettings(directory));
  }

  /** The zone that answers for {@code name}: DS records come from the parent side of a cut. */
  synchronized Zone zoneFor(Name name, int type) {
    Zone best = null;
    for (Map.Entry<Name, Zone> entry : zones.entrySet()) {
      Name origin = entry.getKey();
      if (!name.subdomain(origin)) {
        continue;
      }
      if (type == Type.DS && name.equals(origin) && !origin.equals(Name.root)) {
        continue;
      }
      if (best == null || origin.labels() > best.origin().labels()) {
        best = entry.getValue();
      }
    }
    return best;
  }

  /** Zones delegated directly from {@code parent}. */
  synchronized List<Zone> childrenOf(Zone parent) {
    List<Zone> children = new ArrayList<>();
    for (Zone zone : zones.values()) {
      if (zone == parent || zone.origin().equals(Name.root)) {
        continue;
      }
      Zone closest = zoneFor(zone.origin(), Type.DS);
      if (closest == parent) {
        children.add(zone);
      }
    }
    return children;
  }

  /** A change to one zone can change its parent's DS and NSEC chain: re-sign lazily. */
  void zoneChanged(Zone zone) {
    invalidateAll();
  }

  private synchronized void invalidateAll() {
    zones.values().forEach(Zone::invalidate);
  }

  static Name absolute(String origin) {
    try {
      return Name.fromString(origin.endsWith(".") ? origin : origin + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid zone name " + origin, e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
