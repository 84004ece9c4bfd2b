package io.mxwatch.check.policy.mtasts;

/** The outcome of fetching a policy. */
public sealed interface FetchResult {

  String url();

  /**
   * The server returned 200 with a body within the size limit.
   *
   * @param contentType the Content-Type header, lowercase, or null
   */
  record Fetched(String url, String contentType, String body) implements FetchResult {}

  /**
   * No policy was fetched.
   *
   * @param conclusive true when senders would fail the same way (bad certificate, HTTP error,
   *     redirect, oversized body, NXDOMAIN); false when the scanner could not tell (timeout,
   *     connection refused, DNS failure, address not allowed)
   * @param reason what went wrong, in plain words
   * @param detail the underlying error as the TLS or HTTP library reported it, or null
   */
  record Failed(String url, boolean conclusive, String reason, String detail)
      implements FetchResult {
    public Failed(String url, boolean conclusive, String reason) {
      this(url, conclusive, reason, null);
    }
  }
}
