package io.mxwatch.net;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns an exception from a connection, a TLS handshake or a certificate parser into a short reason
 * in plain words for a finding, without Java class names.
 */
public final class Failures {
  /**
   * The JDK's text for a TLS alert the peer sent, as in "Received fatal alert: handshake_failure".
   */
  private static final Pattern ALERT = Pattern.compile("(?i)received fatal alert: (\\w+)");

  /** A fully qualified exception class name, as a wrapped exception's toString() starts with. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?::\\s*)?");

  private Failures() {}

  /** Describes why the operation failed, such as "timed out" or "connection refused". */
  public static String reason(Throwable failure) {
    String message = plainMessage(failure);
    String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (failure instanceof SocketTimeoutException || lower.contains("timed out")) {
      return "timed out";
    }
    if (failure instanceof SSLException) {
      return handshakeReason(failure, message);
    }
    if (failure instanceof ConnectException) {
      return lower.contains("refused") ? "connection refused" : "connection failed";
    }
    if (failure instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (failure instanceof UnknownHostException) {
      return "unknown host";
    }
    if (failure instanceof EOFException) {
      return "connection closed by the server";
    }
    if (failure instanceof SocketException) {
      if (lower.contains("reset")) {
        return "connection reset";
      }
      if (lower.contains("broken pipe") || lower.contains("closed")) {
        return "connection closed by the server";
      }
      return "connection failed";
    }
    if (failure instanceof CertificateException) {
      return "certificate parse failed";
    }
    return message == null ? "failed" : message;
  }

  private static String handshakeReason(Throwable failure, String message) {
    if (message != null) {
      Matcher alert = ALERT.matcher(message);
      if (alert.find()) {
        return "TLS handshake failed: " + alert.group(1);
      }
    }
    Throwable cause = failure.getCause();
    if (cause != null && !(cause instanceof SSLException)) {
      return "TLS handshake failed: " + reason(cause);
    }
    return message == null ? "TLS handshake failed" : "TLS handshake failed: " + message;
  }

  /** Returns the exception's message without class names, or null when nothing is left. */
  private static String plainMessage(Throwable failure) {
    String message = failure.getMessage();
    if (message == null) {
      return null;
    }
    String plain = CLASS_NAME.matcher(message).replaceAll("").strip();
    return plain.isEmpty() ? null : plain;
  }
}
