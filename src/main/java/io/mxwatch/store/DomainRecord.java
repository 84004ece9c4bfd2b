package io.mxwatch.store;

import java.time.Instant;
import java.util.List;

/**
 * A registered domain as the surfaces show it.
 *
 * @param id database id
 * @param name A-label form without the trailing dot
 * @param unicodeName U-label form, equal to {@code name} for ASCII names
 * @param dkimSelectors DKIM selectors to check
 * @param nextKeys SPKI SHA-256 hashes (hex) of keys the MX servers will move to
 * @param createdAt when it was added
 * @param nextScanAt when the scheduler scans it next
 * @param scanning true while an instance holds an unexpired lease on it
 */
public record DomainRecord(
    long id,
    String name,
    String unicodeName,
    List<String> dkimSelectors,
    List<String> nextKeys,
    Instant createdAt,
    Instant nextScanAt,
    boolean scanning) {
  public DomainRecord {
    dkimSelectors = List.copyOf(dkimSelectors);
    nextKeys = List.copyOf(nextKeys);
  }
}
