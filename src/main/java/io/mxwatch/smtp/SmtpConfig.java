package io.mxwatch.smtp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Politeness settings towards the mail servers mxwatch probes: the {@code mxwatch.smtp.*}
 * properties.
 */
@ConfigMapping(prefix = "mxwatch.smtp")
public interface SmtpConfig {

  /** TCP connections to one IP address open at once, across every scan of the process. */
  @WithDefault("2")
  int maxConnectionsPerIp();

  /** Wait between one connection to an address closing and the next one opening. */
  @WithDefault("250ms")
  Duration pauseBetweenConnections();

  /** How long a conclusive result of one address is reused by later scans. */
  @WithDefault("1h")
  Duration scanWindow();

  /** Addresses whose results are kept for reuse; the least recently used go first. */
  @WithDefault("10000")
  int cacheEntries();

  /** Further attempts after a temporary SMTP rejection (4xx: busy, greylisting, limits). */
  @WithDefault("2")
  int retries();

  /** Wait before the first retry; it doubles for each further one. */
  @WithDefault("20s")
  Duration retryBackoff();

  /** Builds the policy these settings describe, for {@link io.mxwatch.scan.ScanOptions}. */
  default ProbePolicy policy() {
    return new ProbePolicy(
        maxConnectionsPerIp(),
        pauseBetweenConnections(),
        scanWindow(),
        cacheEntries(),
        retries(),
        retryBackoff());
  }
}
