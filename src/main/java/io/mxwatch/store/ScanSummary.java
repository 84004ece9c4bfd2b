package io.mxwatch.store;

import io.mxwatch.model.Status;
import java.time.Instant;
import java.util.Map;

/**
 * One scan without its findings, for history lists and the fleet overview.
 *
 * @param id database id
 * @param startedAt when the scan started
 * @param finishedAt when it ended
 * @param durationMs how long it took
 * @param status {@code completed}, or {@code failed} when mxwatch itself failed
 * @param error why it failed, or null
 * @param score overall score 0 to 100, or null when nothing was scored or the scan failed
 * @param categories percentage per category key
 * @param worstStatus the worst finding status, or null for a failed scan
 * @param dnsQueries DNS queries the scan sent
 * @param smtpConnections TCP connections the scan opened to MX addresses
 */
public record ScanSummary(
    long id,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    String status,
    String error,
    Integer score,
    Map<String, Integer> categories,
    Status worstStatus,
    int dnsQueries,
    int smtpConnections) {
  public ScanSummary {
    categories = Map.copyOf(categories);
  }

  public boolean completed() {
    return ScanEntity.COMPLETED.equals(status);
  }
}
