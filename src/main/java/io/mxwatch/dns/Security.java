package io.mxwatch.dns;

/** DNSSEC security status of an answer (RFC 4035 §4.3), as mxwatch's own validator found it. */
public enum Security {
  /** A chain of trust from the trust anchor validates the answer. */
  SECURE,
  /** The answer is provably unsigned: a secure delegation proves there is no DS. */
  INSECURE,
  /** Validation failed: signatures expired, keys mismatch, signatures missing, and so on. */
  BOGUS,
  /** No trust anchor covers the name, or the lookup failed before validation. */
  INDETERMINATE
}
