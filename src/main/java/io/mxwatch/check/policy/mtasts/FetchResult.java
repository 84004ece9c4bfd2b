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
   * @param reason what went wrong
   */
  record Failed(String url, boolean conclusive, String reason) implements FetchResult {}
}
