package io.mxwatch.model;

/**
 * Counters of the work one scan did.
 *
 * @param dnsQueries DNS queries sent to the resolvers (cache hits within the scan not counted)
 * @param dnsMillis wall-clock time spent waiting for DNS answers, summed over queries
 * @param smtpConnections TCP connections opened to MX addresses
 * @param retries further attempts made because checks ended in a transient error
 */
public record ScanStats(int dnsQueries, long dnsMillis, int smtpConnections, int retries) {
  public static ScanStats empty() {
    return new ScanStats(0, 0, 0, 0);
  }
}
