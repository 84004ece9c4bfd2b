package io.mxwatch.check.auth;

import java.nio.charset.StandardCharsets;
import org.xbill.DNS.TXTRecord;

/** Reads TXT records the way the mail-authentication RFCs define them. */
public final class TxtStrings {
  private TxtStrings() {}

  /**
   * The character-strings of one TXT record joined without separators (RFC 7208 §3.3, RFC 7489
   * §6.1, RFC 6376 §3.6.2.2). Bytes are decoded one to one (ISO-8859-1), so a byte outside ASCII
   * stays visible to the parsers, which reject it, instead of being replaced or escaped.
   */
  public static String join(TXTRecord record) {
    StringBuilder text = new StringBuilder();
    for (byte[] string : record.getStringsAsByteArrays()) {
      text.append(new String(string, StandardCharsets.ISO_8859_1));
    }
    return text.toString();
  }

  /** The text with every character outside printable ASCII shown as {@code \xNN}, for messages. */
  public static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c <= 0x7e) {
        out.append(c);
      } else if (c <= 0xff) {
        out.append(String.format("\\x%02X", (int) c));
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    return out.toString();
  }
}
