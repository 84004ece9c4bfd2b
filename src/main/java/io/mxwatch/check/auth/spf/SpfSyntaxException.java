package io.mxwatch.check.auth.spf;

/** An SPF record or one of its terms does not match the grammar of RFC 7208 §12. */
public final class SpfSyntaxException extends RuntimeException {
  public SpfSyntaxException(String message) {
    super(message, null, false, false);
  }
}
