package io.mxwatch.store;

import io.mxwatch.model.ScanResult;

/**
 * A scan result as stored.
 *
 * @param id database id of the scan
 * @param result the result, with the score recomputed against the domain's history
 */
public record StoredScan(long id, ScanResult result) {}
