package io.mxwatch.web;

import io.mxwatch.model.Status;
import io.mxwatch.store.DomainRecord;
import io.mxwatch.store.FleetEntry;
import io.mxwatch.store.ScanSummary;
import java.time.Instant;
import java.util.List;

/**
 * A domain in the API's list: its registration and the outcome of its latest scan.
 *
 * @param name A-label form
 * @param unicodeName U-label form
 * @param dkimSelectors DKIM selectors checked
 * @param createdAt when it was added
 * @param nextScanAt when it is scanned next
 * @param scanning true while a scan is running
 * @param scannedAt start of the latest completed scan, or null
 * @param score overall score of the latest completed scan, or null
 * @param worstStatus worst finding status of the latest completed scan, or null
 * @param lastAttemptFailed true when mxwatch failed to complete the latest scan
 */
public record DomainView(
    String name,
    String unicodeName,
    List<String> dkimSelectors,
    Instant createdAt,
    Instant nextScanAt,
    boolean scanning,
    Instant scannedAt,
    Integer score,
    Status worstStatus,
    boolean lastAttemptFailed) {

  static DomainView of(FleetEntry entry) {
    DomainRecord domain = entry.domain();
    ScanSummary latest = entry.latest();
    return new DomainView(
        domain.name(),
        domain.unicodeName(),
        domain.dkimSelectors(),
        domain.createdAt(),
        domain.nextScanAt(),
        domain.scanning(),
        latest == null ? null : latest.startedAt(),
        latest == null ? null : latest.score(),
        latest == null ? null : latest.worstStatus(),
        entry.lastAttemptFailed());
  }

  static DomainView of(DomainRecord domain) {
    return of(new FleetEntry(domain, null, null));
  }
}
