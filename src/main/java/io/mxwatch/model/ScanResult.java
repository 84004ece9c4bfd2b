package io.mxwatch.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Everything one scan of one domain found.
 *
 * @param domain the domain in A-label form, without the trailing dot
 * @param unicodeDomain the domain in U-label form, equal to {@code domain} for ASCII names
 * @param scannedAt when the scan started
 * @param duration how long it took
 * @param score the internet.nl-style score
 * @param mxHosts the MX targets with their addresses, sorted by preference
 * @param findings every finding, in check catalogue order
 * @param observations what was seen on each MX address: certificates and TLSA records
 * @param stats counters of the work the scan did
 */
public record ScanResult(
    String domain,
    String unicodeDomain,
    Instant scannedAt,
    Duration duration,
    Score score,
    List<MxHost> mxHosts,
    List<Finding> findings,
    List<Observation> observations,
    ScanStats stats) {

  public ScanResult {
    mxHosts = List.copyOf(mxHosts);
    findings = List.copyOf(findings);
    observations = List.copyOf(observations);
  }

  /** The worst status among the findings; PASS when there are none. */
  public Status worstStatus() {
    return findings.stream()
        .map(Finding::status)
        .max(Comparator.comparingInt(Status::severity))
        .orElse(Status.PASS);
  }

  public boolean hasFailure() {
    return findings.stream().anyMatch(f -> f.status() == Status.FAIL);
  }

  public List<Finding> findings(Check check) {
    return findings.stream().filter(f -> f.check().equals(check.id())).toList();
  }
}
