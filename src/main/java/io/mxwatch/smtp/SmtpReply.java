package io.mxwatch.smtp;

import java.util.List;

/**
 * A complete SMTP reply (RFC 5321 §4.2): a three-digit code and one or more text lines.
 *
 * @param code the reply code, such as 220
 * @param lines the text after the code of each line
 */
public record SmtpReply(int code, List<String> lines) {
  public SmtpReply {
    lines = List.copyOf(lines);
  }

  public boolean positive() {
    return code >= 200 && code < 400;
  }

  public boolean transientNegative() {
    return code >= 400 && code < 500;
  }

  public boolean permanentNegative() {
    return code >= 500;
  }

  /** The reply as the server wrote it, lines joined with a space. */
  public String text() {
    return code + " " + String.join(" ", lines);
  }
}
