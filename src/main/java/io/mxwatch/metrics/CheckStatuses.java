package io.mxwatch.metrics;

import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import java.util.Map;
import java.util.TreeMap;

/** Reduces per-target findings to one status per check, as the metrics and overview show it. */
public final class CheckStatuses {
  private CheckStatuses() {}

  /** Returns the worst status of each check over all its targets, by check id. */
  public static Map<String, Status> worstPerCheck(ScanResult result) {
    Map<String, Status> worst = new TreeMap<>();
    for (Finding finding : result.findings()) {
      worst.merge(
          finding.check(), finding.status(), (a, b) -> a.severity() >= b.severity() ? a : b);
    }
    return worst;
  }
}
