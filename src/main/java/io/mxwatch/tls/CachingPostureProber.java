package io.mxwatch.tls;

import io.mxwatch.net.Addresses;
import io.mxwatch.smtp.ScanWindowCache;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Reuses the complete posture of an address within a scan window, so an MX address that many
 * domains share is probed once per window. Concurrent scans wait for the probe already running.
 */
public final class CachingPostureProber implements TlsPostureProber {
  private final TlsPostureProber delegate;
  private final ScanWindowCache<TlsPosture> cache;
  private final Duration window;

  public CachingPostureProber(
      TlsPostureProber delegate, ScanWindowCache<TlsPosture> cache, Duration window) {
    this.delegate = delegate;
    this.cache = cache;
    this.window = window;
  }

  /**
   * Returns the posture of an address. A posture that another scan probed reports no connections,
   * since this caller opened none.
   */
  @Override
  public TlsPosture probe(String host, InetAddress address, int port) {
    return probe(host, address, port, false);
  }

  /** Probes the address, or reuses its posture from the scan window unless {@code fresh}. */
  @Override
  public TlsPosture probe(String host, InetAddress address, int port, boolean fresh) {
    String key = host + "/" + Addresses.text(address) + ":" + port;
    java.util.concurrent.atomic.AtomicBoolean probedHere =
        new java.util.concurrent.atomic.AtomicBoolean();
    TlsPosture posture =
        cache.get(
            key,
            fresh ? Duration.ZERO : window,
            TlsPosture::complete,
            () -> {
              probedHere.set(true);
              return delegate.probe(host, address, port);
            });
    return probedHere.get() ? posture : posture.withConnections(0);
  }
}
