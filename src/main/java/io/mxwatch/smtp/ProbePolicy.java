package io.mxwatch.smtp;

import java.time.Duration;

/**
 * Politeness limits towards the mail servers mxwatch probes.
 *
 * @param maxConnectionsPerAddress TCP connections to one IP address open at the same time, across
 *     every scan of the process ({@code mxwatch.smtp.max-connections-per-ip})
 * @param pauseBetweenConnections time between one connection to an address closing and the next one
 *     opening ({@code mxwatch.smtp.pause-between-connections})
 * @param scanWindow how long a conclusive probe result of one address is reused by later scans, so
 *     an MX address shared by many domains is probed once per window ({@code
 *     mxwatch.smtp.scan-window})
 * @param cacheEntries addresses whose results are kept for reuse; the least recently used go first
 *     ({@code mxwatch.smtp.cache-entries})
 * @param retries further attempts after a temporary SMTP rejection (4xx, such as 421 for a
 *     connection limit or greylisting) ({@code mxwatch.smtp.retries})
 * @param retryBackoff wait before the first retry; it doubles for each further one ({@code
 *     mxwatch.smtp.retry-backoff})
 * @param addressBudget total time the TLS probes of one address may take; a server that answers
 *     each connection just before the timeout would otherwise hold a scan for hours ({@code
 *     mxwatch.smtp.address-budget})
 */
public record ProbePolicy(
    int maxConnectionsPerAddress,
    Duration pauseBetweenConnections,
    Duration scanWindow,
    int cacheEntries,
    int retries,
    Duration retryBackoff,
    Duration addressBudget) {

  /** The default time budget per address. */
  public static final Duration DEFAULT_ADDRESS_BUDGET = Duration.ofMinutes(10);

  /** A policy with the default time budget per address. */
  public ProbePolicy(
      int maxConnectionsPerAddress,
      Duration pauseBetweenConnections,
      Duration scanWindow,
      int cacheEntries,
      int retries,
      Duration retryBackoff) {
    this(
        maxConnectionsPerAddress,
        pauseBetweenConnections,
        scanWindow,
        cacheEntries,
        retries,
        retryBackoff,
        DEFAULT_ADDRESS_BUDGET);
  }

  public ProbePolicy {
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException(
          "max connections per address must be at least 1: " + maxConnectionsPerAddress);
    }
    if (retries < 0 || retries > 10) {
      throw new IllegalArgumentException("retries must be 0 to 10: " + retries);
    }
    if (cacheEntries < 0) {
      throw new IllegalArgumentException("cache entries must not be negative: " + cacheEntries);
    }
    if (addressBudget == null || !addressBudget.isPositive()) {
      throw new IllegalArgumentException("the time budget per address must be positive");
    }
    if (pauseBetweenConnections.isNegative()
        || scanWindow.isNegative()
        || retryBackoff.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  /** The defaults documented in the README. */
  public static ProbePolicy defaults() {
    return new ProbePolicy(
        2, Duration.ofMillis(100), Duration.ofHours(1), 10_000, 2, Duration.ofSeconds(20));
  }

  public ProbePolicy withMaxConnectionsPerAddress(int max) {
    return new ProbePolicy(
        max,
        pauseBetweenConnections,
        scanWindow,
        cacheEntries,
        retries,
        retryBackoff,
        addressBudget);
  }

  public ProbePolicy withPauseBetweenConnections(Duration pause) {
    return new ProbePolicy(
        maxConnectionsPerAddress,
        pause,
        scanWindow,
        cacheEntries,
        retries,
        retryBackoff,
        addressBudget);
  }

  public ProbePolicy withScanWindow(Duration window) {
    return new ProbePolicy(
        maxConnectionsPerAddress,
        pauseBetweenConnections,
        window,
        cacheEntries,
        retries,
        retryBackoff,
        addressBudget);
  }

  public ProbePolicy withRetries(int count, Duration backoff) {
    return new ProbePolicy(
        maxConnectionsPerAddress,
        pauseBetweenConnections,
        scanWindow,
        cacheEntries,
        count,
        backoff,
        addressBudget);
  }

  public ProbePolicy withAddressBudget(Duration budget) {
    return new ProbePolicy(
        maxConnectionsPerAddress,
        pauseBetweenConnections,
        scanWindow,
        cacheEntries,
        retries,
        retryBackoff,
        budget);
  }
}
