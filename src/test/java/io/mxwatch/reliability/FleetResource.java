package io.mxwatch.reliability;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a {@link FleetWorld} before Quarkus and points the scanner at it: its DNS server and trust
 * anchor, its SMTP port, loopback addresses allowed, short timeouts and retry pauses.
 */
public class FleetResource implements QuarkusTestResourceLifecycleManager {
  /** The world of the running test profile; tests reach it through this field. */
  static volatile FleetWorld world;

  private Path directory;

  @Override
  public Map<String, String> start() {
    return startWorld(200, 10);
  }

  /** Starts a fleet of {@code domains} domains on {@code mxHosts} MX hosts; returns the config. */
  protected Map<String, String> startWorld(int domains, int mxHosts) {
    directory = temporaryDirectory("mxwatch-fleet");
    world = new FleetWorld(directory, domains, mxHosts);
    Map<String, String> config = new HashMap<>();
    config.put("mxwatch.dns.resolvers", world.resolver());
    config.put("mxwatch.dns.trust-anchor-file", world.trustAnchor.toString());
    config.put("mxwatch.dns.timeout", "400ms");
    config.put("mxwatch.dns.retries", "1");
    config.put("mxwatch.dns.budget", "30s");
    config.put("mxwatch.smtp.port", String.valueOf(world.smtpPort));
    config.put("mxwatch.smtp.timeout", "3s");
    // Probe again in every round, so every round meets the injected SMTP faults, and keep the
    // politeness pauses short on loopback.
    config.put("mxwatch.smtp.scan-window", "0s");
    config.put("mxwatch.smtp.pause-between-connections", "0s");
    config.put("mxwatch.smtp.retry-backoff", "50ms");
    config.put("mxwatch.scan.allow-private", "true");
    config.put("mxwatch.scan.concurrency", "8");
    config.put("mxwatch.scan.retries", "2");
    config.put("mxwatch.scan.retry-backoff", "100ms");
    return config;
  }

  static Path temporaryDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (world != null) {
      world.close();
      world = null;
    }
  }
}
