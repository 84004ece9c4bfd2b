package io.mxwatch.store;

/**
 * One row of the fleet overview.
 *
 * @param domain the domain
 * @param latest its latest completed scan, or null before the first one
 * @param lastAttempt its latest scan of any status, or null before the first one
 */
public record FleetEntry(DomainRecord domain, ScanSummary latest, ScanSummary lastAttempt) {
  /** True when the latest attempt failed, so the shown result is older than it looks. */
  public boolean lastAttemptFailed() {
    return lastAttempt != null && !lastAttempt.completed();
  }
}
