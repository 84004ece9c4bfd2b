package io.mxwatch.smtp;

/** How far an SMTP probe of one address got. */
public enum SmtpOutcome {
  /** The address policy forbids connecting (special-purpose address). */
  NOT_ALLOWED(true),
  /** TCP connect refused, unreachable or reset. */
  CONNECT_FAILED(true),
  /** No connection, greeting or reply within the SMTP timeout. */
  TIMEOUT(true),
  /** The server answered 4xx (421 busy, greylisting, connection limit): try again later. */
  TEMPORARY_REJECTION(true),
  /** The server answered 5xx to the greeting or to both EHLO and HELO. */
  PERMANENT_REJECTION(false),
  /** The server broke the protocol: garbage, over-long lines, too many reply lines. */
  PROTOCOL_ERROR(true),
  /** EHLO succeeded but STARTTLS is not among the extensions. */
  NO_STARTTLS(false),
  /** STARTTLS was offered but the command was answered with an error. */
  STARTTLS_REJECTED(false),
  /** STARTTLS was accepted but the TLS handshake failed. */
  HANDSHAKE_FAILED(false),
  /**
   * STARTTLS was accepted but the TLS handshake did not finish within the SMTP timeout. The server
   * greeted, so it is reachable, but whether TLS works is unknown.
   */
  HANDSHAKE_TIMEOUT(true),
  /** The TLS handshake completed. */
  TLS_ESTABLISHED(false);

  private final boolean inconclusive;

  SmtpOutcome(boolean inconclusive) {
    this.inconclusive = inconclusive;
  }

  /** True when the scanner could not learn whether the server offers STARTTLS. */
  public boolean inconclusive() {
    return inconclusive;
  }

  /** True when the server answered SMTP at all (a 220 greeting arrived). */
  public boolean greeted() {
    return this == NO_STARTTLS
        || this == STARTTLS_REJECTED
        || this == HANDSHAKE_FAILED
        || this == HANDSHAKE_TIMEOUT
        || this == TLS_ESTABLISHED;
  }
}
