package io.mxwatch.store;

import java.util.List;

/**
 * CDI event fired inside the transaction that stored a scan; observe it with {@code
 * TransactionPhase.AFTER_SUCCESS} to act on committed data only.
 *
 * @param scan the stored scan
 * @param changes the conclusive changes against the domain's history that the scan recorded
 */
public record ScanSaved(StoredScan scan, List<ChangeEvent> changes) {
  public ScanSaved {
    changes = List.copyOf(changes);
  }
}
