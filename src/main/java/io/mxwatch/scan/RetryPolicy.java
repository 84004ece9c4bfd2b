package io.mxwatch.scan;

import java.time.Duration;

/**
 * Retry rule of a scan whose checks ended in {@code error} after a transient failure (a DNS timeout
 * or SERVFAIL, an SMTP 4xx reply or timeout). The scan makes at most {@code maxRetries} more
 * attempts, waiting {@code backoff} before the first and twice as long before each further one.
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

  /** Returns the pause before retry number {@code retry}, counted from 1. */
  public Duration pauseBefore(int retry) {
    return backoff.multipliedBy(1L << Math.min(retry - 1, 10));
  }
}
