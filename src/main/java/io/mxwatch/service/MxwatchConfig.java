package io.mxwatch.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the mxwatch service, under the {@code mxwatch} prefix. */
@ConfigMapping(prefix = "mxwatch")
public interface MxwatchConfig {

  /** Scheduling of scans. */
  Scan scan();

  /** DNS resolution and DNSSEC validation. */
  Dns dns();

  /** SMTP probes of the MX servers. */
  Smtp smtp();

  /** Thresholds of the certificate and signature expiry checks. */
  Expiry expiry();

  /** The Prometheus gauges. */
  Metrics metrics();

  /** The Prometheus gauges. */
  interface Metrics {
    /**
     * How often the gauges pick up scans that other instances sharing the database stored; an
     * instance's own scans show at once.
     */
    @WithDefault("1m")
    Duration refreshInterval();
  }

  /** Scheduling of scans. */
  interface Scan {
    /** Time from the end of one scan of a domain to the start of its next. */
    @WithDefault("24h")
    Duration interval();

    /** Domains this instance scans at the same time. */
    @WithDefault("4")
    int concurrency();

    /** How often the scheduler looks for due domains. */
    @WithDefault("1m")
    Duration pollInterval();

    /**
     * How long a claimed domain stays reserved for this instance; another instance takes the domain
     * over when the lease runs out, so it should exceed the longest scan.
     */
    @WithDefault("15m")
    Duration lease();

    /**
     * Time until a domain whose scan ended with checks in {@code error} is scanned again, when
     * shorter than the interval: an inconclusive result is replaced by a conclusive one soon.
     */
    @WithDefault("1h")
    Duration errorInterval();

    /** How often running scans extend their leases. */
    @WithDefault("1m")
    Duration leaseRenewal();

    /**
     * Finished results kept in memory while PostgreSQL is unreachable; beyond that, domains keep
     * their leases and are scanned again once the leases run out.
     */
    @WithDefault("1000")
    int resultBuffer();

    /** How often buffered results are written again while PostgreSQL is unreachable. */
    @WithDefault("5s")
    Duration bufferRetry();

    /**
     * Time running scans get to finish at shutdown; scans still running then are abandoned and
     * their domains handed back for another instance or the next start.
     */
    @WithDefault("30s")
    Duration shutdownGrace();

    /** Time until a domain is tried again after mxwatch itself failed to scan it. */
    @WithDefault("1h")
    Duration retryAfterFailure();

    /**
     * Further attempts within a scan for checks that ended in {@code error} after a transient
     * failure (a DNS timeout or SERVFAIL, an SMTP 4xx reply or timeout).
     */
    @WithDefault("2")
    int retries();

    /** Pause before the first such retry; each further retry waits twice as long. */
    @WithDefault("2s")
    Duration retryBackoff();

    /** SMTP probes one scan runs at the same time. */
    @WithDefault("8")
    int probesPerScan();

    /**
     * Connect to loopback, private and other special-purpose addresses too; for labs and tests
     * only, since an MX record may point anywhere.
     */
    @WithDefault("false")
    boolean allowPrivate();
  }

  /** DNS resolution and DNSSEC validation. */
  interface Dns {
    /**
     * Recursive resolvers as {@code host}, {@code host:port} or {@code [ipv6]:port}, tried in
     * order; when unset, the name servers of the system's resolver configuration.
     */
    Optional<List<String>> resolvers();

    /**
     * DS or DNSKEY records in zone-file form to validate DNSSEC against; when unset, the IANA root
     * trust anchors built into mxwatch.
     */
    Optional<Path> trustAnchorFile();

    /** Time allowed for one query to one resolver. */
    @WithDefault("5s")
    Duration timeout();

    /** Further attempts per resolver after the first. */
    @WithDefault("1")
    int retries();

    /**
     * Total DNS time one attempt of a domain's scan may spend before further lookups time out; each
     * retry of the scan gets a new budget.
     */
    @WithDefault("60s")
    Duration budget();

    /**
     * Port of the domain's name servers, which {@code ipv6.ns_reach} queries directly over IPv6;
     * other than 53 only in labs and tests.
     */
    @WithDefault("53")
    int nameServerPort();
  }

  /** SMTP probes of the MX servers. */
  interface Smtp {
    /** TCP port of the MX servers. */
    @WithDefault("25")
    int port();

    /** Time allowed for each SMTP connect, read and TLS handshake. */
    @WithDefault("30s")
    Duration timeout();

    /** Name sent in EHLO; when unset, the scanner's default. */
    Optional<String> heloName();

    /** TCP connections to one IP address open at once, across every scan of the process. */
    @WithDefault("2")
    int maxConnectionsPerIp();

    /** Wait between one connection to an address closing and the next one opening. */
    @WithDefault("100ms")
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

    /**
     * Total time the TLS probes of one address may take before the rest is reported as an error;
     * bounds a server that answers every connection just before the timeout.
     */
    @WithDefault("10m")
    Duration addressBudget();

    /** Builds the politeness policy these settings describe. */
    default io.mxwatch.smtp.ProbePolicy policy() {
      return new io.mxwatch.smtp.ProbePolicy(
          maxConnectionsPerIp(),
          pauseBetweenConnections(),
          scanWindow(),
          cacheEntries(),
          retries(),
          retryBackoff(),
          addressBudget());
    }
  }

  /** Thresholds of the expiry checks, in days. */
  interface Expiry {
    /** {@code cert.expiry} warns when a certificate expires in fewer days than this. */
    @WithDefault("21")
    int certificateWarnDays();

    /** {@code cert.expiry} fails when a certificate expires in fewer days than this. */
    @WithDefault("7")
    int certificateFailDays();

    /** {@code dnssec.signature_expiry} warns when a signature expires in fewer days than this. */
    @WithDefault("7")
    int signatureWarnDays();
  }
}
