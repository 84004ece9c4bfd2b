package io.mxwatch.web;

/** The domain is not registered, or has no result yet; the message names which. */
final class UnknownDomainException extends RuntimeException {
  UnknownDomainException(String detail) {
    super(detail.contains(" ") ? detail : "domain " + detail + " is not registered");
  }
}
