package io.mxwatch.realpeer;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Preconditions of the real-peer suites. A missing package skips the suite, unless the environment
 * variable {@code MXWATCH_REQUIRE_PEERS=1} demands the peers, as CI does.
 */
public final class RealPeers {
  private RealPeers() {}

  /** Fails or skips when {@code program} is not installed. */
  public static void requireProgram(String program, String installHint) {
    if (!Files.isExecutable(Path.of(program))) {
      missing(program + " is not installed; install it with " + installHint);
    }
  }

  /** Fails or skips unless the tests run as root, which Postfix on port 25 needs. */
  public static void requireRoot() {
    if (!"root".equals(System.getProperty("user.name"))) {
      missing("the real-peer suite runs Postfix on port 25 and must run as root");
    }
  }

  private static void missing(String message) {
    if ("1".equals(System.getenv("MXWATCH_REQUIRE_PEERS"))) {
      fail(message + " (MXWATCH_REQUIRE_PEERS=1 requires the real peers)");
    }
    Assumptions.abort(message);
  }
}
