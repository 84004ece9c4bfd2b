package io.mxwatch.testworld;

/** Ways a signed test zone can be broken on purpose. */
public enum DnssecFault {
  NONE,
  /** Every RRSIG expired yesterday. */
  EXPIRED_SIGNATURES,
  /** Every RRSIG becomes valid only tomorrow. */
  SIGNATURES_NOT_YET_VALID,
  /** The parent publishes a DS that matches no DNSKEY of the zone. */
  DS_MISMATCH,
  /** The parent publishes a DS, but the zone's answers carry no RRSIGs. */
  STRIPPED_SIGNATURES
}
