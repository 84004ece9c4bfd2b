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
 */
public record DnsSettings(
    List<InetSocketAddress> resolvers,
    Duration queryTimeout,
    int retries,
    Duration scanBudget,
    Path trustAnchorFile,
    Clock clock) {

  /** EDNS buffer size recommended by DNS Flag Day 2020 to avoid IP fragmentation. */
  public static final int EDNS_BUFFER_SIZE = 1232;

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
  }
}
