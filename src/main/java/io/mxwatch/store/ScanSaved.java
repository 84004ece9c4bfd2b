package io.mxwatch.store;

/**
 * CDI event fired inside the transaction that stored a scan; observe it with {@code
 * TransactionPhase.AFTER_SUCCESS} to act on committed data only.
 *
 * @param scan the stored scan
 */
public record ScanSaved(StoredScan scan) {}
