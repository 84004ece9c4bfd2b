package io.mxwatch.testsupport;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls for a condition that background work makes true. */
public final class Await {
  private Await() {}

  /** Returns the first present value of {@code probe}, or fails after {@code timeout}. */
  public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  public static void until(String what, Duration timeout, Supplier<Boolean> condition) {
    value(what, timeout, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }
}
