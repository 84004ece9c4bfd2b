package io.mxwatch.scan;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Per-domain settings that a user registered besides the name, and how this scan of it runs.
 *
 * @param dkimSelectors DKIM selectors to fetch and grade
 * @param nextKeys SPKI SHA-256 hashes (hex) of keys the MX servers will move to, for DANE advice
 * @param freshProbes probe every MX address again instead of reusing a result from the scan window,
 *     as a user who asked for a scan now after changing a server expects
 */
public record DomainSettings(
    List<String> dkimSelectors, List<String> nextKeys, boolean freshProbes) {
  public DomainSettings {
    dkimSelectors = List.copyOf(dkimSelectors);
    nextKeys = List.copyOf(nextKeys);
  }

  public DomainSettings(List<String> dkimSelectors, List<String> nextKeys) {
    this(dkimSelectors, nextKeys, false);
  }

  /** RFC 6376 §3.1: a selector is one or more RFC 5321 sub-domains separated by dots. */
  private static final Pattern SELECTOR =
      Pattern.compile(
          "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  /**
   * Checks a DKIM selector and returns it in lower case.
   *
   * @throws IllegalArgumentException naming the selector and the rule it breaks
   */
  public static String dkimSelector(String selector) {
    String trimmed = selector == null ? "" : selector.strip();
    if (trimmed.length() > 253 || !SELECTOR.matcher(trimmed).matches()) {
      throw new IllegalArgumentException(
          "invalid DKIM selector '"
              + trimmed
              + "': use letters, digits and hyphens in dot-separated labels");
    }
    return trimmed.toLowerCase(Locale.ROOT);
  }

  public static DomainSettings none() {
    return new DomainSettings(List.of(), List.of());
  }

  public DomainSettings withFreshProbes(boolean fresh) {
    return new DomainSettings(dkimSelectors, nextKeys, fresh);
  }
}
