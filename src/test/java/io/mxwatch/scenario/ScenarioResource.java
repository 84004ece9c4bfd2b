package io.mxwatch.scenario;

import io.mxwatch.testworld.ScenarioWorld;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** Starts the scenario world before Quarkus and points the service's scanner at it. */
public class ScenarioResource implements QuarkusTestResourceLifecycleManager {
  static volatile ScenarioWorld world;

  @Override
  public Map<String, String> start() {
    try {
      world = ScenarioWorld.start(Files.createTempDirectory("mxwatch-scenarios"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> config = new HashMap<>();
    config.put("mxwatch.dns.resolvers", world.resolver());
    config.put("mxwatch.dns.trust-anchor-file", world.trustAnchor.toString());
    config.put("mxwatch.dns.timeout", "2s");
    config.put("mxwatch.smtp.port", String.valueOf(world.smtpPort));
    config.put("mxwatch.smtp.timeout", "3s");
    config.put("mxwatch.smtp.pause-between-connections", "0s");
    config.put("mxwatch.scan.allow-private", "true");
    return config;
  }

  @Override
  public void stop() {
    if (world != null) {
      world.close();
      world = null;
    }
  }
}
