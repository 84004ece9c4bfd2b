package io.mxwatch.store;

/** The domain is already registered. */
public final class DuplicateDomainException extends RuntimeException {
  public DuplicateDomainException(String name) {
    super("domain " + name + " is already registered");
  }
}
