package io.mxwatch.tls;

import java.util.Map;

/**
 * A TLS alert (RFC 8446 §6, RFC 5246 §7.2).
 *
 * @param level 1 warning, 2 fatal
 * @param description the AlertDescription value
 */
public record TlsAlert(int level, int description) {
  public static final int HANDSHAKE_FAILURE = 40;
  public static final int PROTOCOL_VERSION = 70;
  public static final int INSUFFICIENT_SECURITY = 71;
  public static final int NO_RENEGOTIATION = 100;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0, "close_notify"),
          Map.entry(10, "unexpected_message"),
          Map.entry(20, "bad_record_mac"),
          Map.entry(22, "record_overflow"),
          Map.entry(30, "decompression_failure"),
          Map.entry(40, "handshake_failure"),
          Map.entry(41, "no_certificate"),
          Map.entry(42, "bad_certificate"),
          Map.entry(47, "illegal_parameter"),
          Map.entry(50, "decode_error"),
          Map.entry(51, "decrypt_error"),
          Map.entry(70, "protocol_version"),
          Map.entry(71, "insufficient_security"),
          Map.entry(80, "internal_error"),
          Map.entry(86, "inappropriate_fallback"),
          Map.entry(90, "user_canceled"),
          Map.entry(100, "no_renegotiation"),
          Map.entry(109, "missing_extension"),
          Map.entry(110, "unsupported_extension"),
          Map.entry(112, "unrecognized_name"),
          Map.entry(120, "no_application_protocol"));

  public boolean fatal() {
    return level == 2;
  }

  public String name() {
    return NAMES.getOrDefault(description, "alert " + description);
  }

  @Override
  public String toString() {
    return (fatal() ? "fatal " : "warning ") + name();
  }
}
