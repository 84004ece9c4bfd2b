package io.mxwatch.check.auth.dmarc;

import com.google.common.net.InternetDomainName;
import io.mxwatch.dns.DomainName;
import java.util.Arrays;
import java.util.Locale;

/**
 * The organizational domain of RFC 7489 §3.2, found with the Public Suffix List that Guava ships.
 * Names go in and come out in A-label form; the list itself is in U-label form, so the lookup runs
 * on the Unicode form and only the label count is carried back.
 */
public final class OrganizationalDomain {
  private OrganizationalDomain() {}

  /**
   * The organizational domain of {@code asciiDomain} (A-labels, no trailing dot), lowercase. A name
   * under no listed suffix uses the default rule "*" of the list: its last two labels.
   */
  public static String of(String asciiDomain) {
    String ascii = stripDot(asciiDomain).toLowerCase(Locale.ROOT);
    String[] labels = ascii.split("\\.");
    if (labels.length < 2) {
      return ascii;
    }
    int keep = 2;
    try {
      String unicode = DomainName.parse(ascii).unicode();
      InternetDomainName name = InternetDomainName.from(unicode);
      if (name.isPublicSuffix()) {
        return ascii;
      }
      if (name.isUnderPublicSuffix()) {
        keep = name.topPrivateDomain().parts().size();
      }
    } catch (IllegalArgumentException e) {
      // Guava rejects some names that DNS allows (underscores, for one): use the default rule.
      keep = 2;
    }
    return String.join(".", Arrays.copyOfRange(labels, labels.length - keep, labels.length));
  }

  /** True when both names have the same organizational domain (RFC 7489 §3.1, relaxed mode). */
  public static boolean same(String first, String second) {
    return of(first).equals(of(second));
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
