package io.mxwatch.dns;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach DNS.
 *
 * @param resolvers recursive resolvers, tried in order
 * @param queryTimeout time allowed for one query to one resolver
 * @param retries further attempts per resolver after the first
 * @param scanBudget total DNS time one domain's scan may spend before further lookups time out
 * @param trustAnchorFile DS or DNSKEY records in zone-file form, or null for the IANA root anchors
 * @param clock the clock that signature validity is checked against
 * @param nameServerPort UDP port of authoritative name servers that are queried directly, such as
 *     the IPv6 reachability probe of each NS host (53 except in labs and tests)
 */
public record DnsSettings(
    List<InetSocketAddress> resolvers,
    Duration queryTimeout,
    int retries,
    Duration scanBudget,
    Path trustAnchorFile,
    Clock clock,
    int nameServerPort) {

  /** EDNS buffer size recommended by DNS Flag Day 2020 to avoid IP fragmentation. */
  public static final int EDNS_BUFFER_SIZE = 1232;

  public static final int DEFAULT_NAME_SERVER_PORT = 53;

  /** Settings that query name servers directly on port 53. */
  public DnsSettings(
      List<InetSocketAddress> resolvers,
      Duration queryTimeout,
      int retries,
      Duration scanBudget,
      Path trustAnchorFile,
      Clock clock) {
    this(
        resolvers,
        queryTimeout,
        retries,
        scanBudget,
        trustAnchorFile,
        clock,
        DEFAULT_NAME_SERVER_PORT);
  }

  public DnsSettings {
    resolvers = List.copyOf(resolvers);
    if (resolvers.isEmpty()) {
      throw new IllegalArgumentException("at least one DNS resolver is required");
    }
    Objects.requireNonNull(queryTimeout, "queryTimeout");
    Objects.requireNonNull(scanBudget, "scanBudget");
    Objects.requireNonNull(clock, "clock");
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative: " + retries);
    }
    if (queryTimeout.isNegative() || queryTimeout.isZero()) {
      throw new IllegalArgumentException("queryTimeout must be positive: " + queryTimeout);
    }
    if (nameServerPort < 1 || nameServerPort > 65535) {
      throw new IllegalArgumentException("name server port must be 1 to 65535: " + nameServerPort);
    }
  }

  public DnsSettings withNameServerPort(int port) {
    return new DnsSettings(
        resolvers, queryTimeout, retries, scanBudget, trustAnchorFile, clock, port);
  }

  public DnsSettings withScanBudget(Duration budget) {
    return new DnsSettings(
        resolvers, queryTimeout, retries, budget, trustAnchorFile, clock, nameServerPort);
  }

  public DnsSettings withResolvers(List<InetSocketAddress> list) {
    return new DnsSettings(
        list, queryTimeout, retries, scanBudget, trustAnchorFile, clock, nameServerPort);
  }

  public DnsSettings withClock(Clock newClock) {
    return new DnsSettings(
        resolvers, queryTimeout, retries, scanBudget, trustAnchorFile, newClock, nameServerPort);
  }
}
