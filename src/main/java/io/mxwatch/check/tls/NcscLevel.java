package io.mxwatch.check.tls;

import io.mxwatch.model.Status;

/**
 * The levels of the NCSC TLS guidelines (version 2025-05) as the mail test of internet.nl applies
 * them: good and sufficient pass, phase-out warns with full points, insufficient fails.
 */
public enum NcscLevel {
  GOOD,
  SUFFICIENT,
  PHASE_OUT,
  INSUFFICIENT;

  public Status status() {
    return switch (this) {
      case GOOD, SUFFICIENT -> Status.PASS;
      case PHASE_OUT -> Status.WARN;
      case INSUFFICIENT -> Status.FAIL;
    };
  }

  /** {@code phase-out} style label for details. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public static NcscLevel worst(NcscLevel a, NcscLevel b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
