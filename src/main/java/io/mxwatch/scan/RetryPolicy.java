package io.mxwatch.scan;

import java.time.Duration;

/**
 * How a scan retries checks that ended in {@code error} because of a transient failure (a DNS
 * timeout or SERVFAIL, an SMTP 4xx reply or timeout): at most {@code maxRetries} more attempts,
 * waiting {@code backoff}, then twice as long, and so on.
 */
public record RetryPolicy(int maxRetries, Duration backoff) {
  public RetryPolicy {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative");
    }
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("backoff must not be negative");
    }
  }

  /** Two retries after 2 and 4 seconds. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(2, Duration.ofSeconds(2));
  }

  public static RetryPolicy none() {
    return new RetryPolicy(0, Duration.ZERO);
  }

  /** The pause before retry number {@code retry} (1-based). */
  public Duration pauseBefore(int retry) {
    return backoff.multipliedBy(1L << Math.min(retry - 1, 10));
  }
}
