package io.mxwatch.store;

import io.mxwatch.model.Status;
import java.time.Instant;

/**
 * A conclusive change of one check on one target between two scans of a domain.
 *
 * @param domain the domain, A-label form
 * @param scanId the scan that observed the new status
 * @param occurredAt when that scan started
 * @param regression true when the status got worse, false when it got better
 * @param check the check id
 * @param target the finding target
 * @param from the last conclusive status before
 * @param to the new status
 * @param summary the new finding's summary
 */
public record ChangeEvent(
    String domain,
    long scanId,
    Instant occurredAt,
    boolean regression,
    String check,
    String target,
    Status from,
    Status to,
    String summary) {

  /**
   * Rank of a status when deciding whether a change is a regression: pass and info rank alike, then
   * warn, then fail. Errors and changes into or out of not applicable never take part.
   */
  public static int rank(Status status) {
    return switch (status) {
      case FAIL -> 2;
      case WARN -> 1;
      default -> 0;
    };
  }
}
