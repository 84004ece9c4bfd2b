package io.mxwatch.check.auth;

import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.dns.Outcome;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Building query names from text that comes from DNS data or users. */
public final class DnsNames {
  private DnsNames() {}

  /**
   * Queries {@code text} (absolute or not); a name that cannot exist in DNS, such as one longer
   * than 255 octets, gives a FAILED answer instead of an exception.
   */
  public static DnsAnswer query(Dns dns, String text, int type) {
    try {
      return dns.query(Name.fromString(text.endsWith(".") ? text : text + "."), type);
    } catch (TextParseException e) {
      return DnsAnswer.failure(
          Name.root,
          type,
          Outcome.FAILED,
          "'" + text + "' is not a valid DNS name: " + e.getMessage());
    }
  }
}
