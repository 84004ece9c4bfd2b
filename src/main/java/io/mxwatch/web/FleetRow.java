package io.mxwatch.web;

import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One domain on the fleet overview.
 *
 * @param name A-label form
 * @param unicodeName U-label form
 * @param score overall score of the latest completed scan, or null
 * @param worstStatus worst status of the latest completed scan, or null before the first scan
 * @param scannedAt start of the latest completed scan, or null
 * @param scanning true while a scan is running
 * @param lastError why the latest attempt failed, or null when it completed
 * @param worstFindings a few fail, warn and error findings, worst first
 * @param counts number of findings per status
 */
public record FleetRow(
    String name,
    String unicodeName,
    Integer score,
    Status worstStatus,
    Instant scannedAt,
    boolean scanning,
    String lastError,
    List<Finding> worstFindings,
    Map<Status, Integer> counts) {

  public boolean internationalized() {
    return !name.equals(unicodeName);
  }

  public String statusCss() {
    return Display.css(worstStatus);
  }

  public String statusLabel() {
    return Display.label(worstStatus);
  }

  public String scannedAgo() {
    return Display.ago(scannedAt);
  }

  public String scannedUtc() {
    return Display.utc(scannedAt);
  }

  public int count(String status) {
    return counts.getOrDefault(Status.fromWireName(status), 0);
  }
}
