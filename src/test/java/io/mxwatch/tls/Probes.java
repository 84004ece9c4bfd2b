package io.mxwatch.tls;

import io.mxwatch.check.tls.CipherGrading;
import io.mxwatch.smtp.AddressGate;
import io.mxwatch.smtp.ProbePolicy;
import java.time.Duration;

/** Probers wired for in-process servers: short timeouts, no pauses, a private gate. */
public final class Probes {
  private Probes() {}

  public static ProbePolicy fastPolicy() {
    return ProbePolicy.defaults()
        .withPauseBetweenConnections(Duration.ZERO)
        .withRetries(0, Duration.ZERO);
  }

  public static HandshakeProber handshakeProber() {
    return new HandshakeProber(
        Duration.ofSeconds(10),
        "scanner.test",
        fastPolicy(),
        new AddressGate(),
        duration -> {},
        CipherGrading::orderTests);
  }
}
