package io.mxwatch.tls;

/** The server sent bytes that are not a well-formed TLS message, or exceeded a size bound. */
public final class TlsParseException extends Exception {
  public TlsParseException(String message) {
    super(message);
  }
}
