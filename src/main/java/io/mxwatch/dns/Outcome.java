package io.mxwatch.dns;

/**
 * How a lookup ended. NXDOMAIN and NODATA are answers (the name or type does not exist); the others
 * mean the scanner could not tell.
 */
public enum Outcome {
  /** The RRset was found, possibly at the end of a CNAME chain. */
  ANSWER,
  /** The name does not exist (RCODE 3). */
  NXDOMAIN,
  /** The name exists but has no RRset of the requested type. */
  NODATA,
  /** The resolver answered SERVFAIL, or validation failed (then the security status is bogus). */
  SERVFAIL,
  /** No answer within the per-query timeout, or the scan's DNS budget was used up. */
  TIMEOUT,
  /** The resolver answered REFUSED. */
  REFUSED,
  /** Anything else: malformed answer, wrong ID or question, other RCODE, invalid name. */
  FAILED;

  /** True when the lookup says nothing about the data: the scanner could not tell. */
  public boolean inconclusive() {
    return this != ANSWER && this != NXDOMAIN && this != NODATA;
  }
}
