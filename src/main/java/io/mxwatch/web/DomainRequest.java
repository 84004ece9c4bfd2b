package io.mxwatch.web;

import io.mxwatch.dns.DomainName;
import io.mxwatch.scan.DomainSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A request to register a domain, from the API or the dashboard form.
 *
 * @param name the domain in Unicode or A-label form
 * @param dkimSelectors DKIM selectors to check, may be null
 * @param nextKeys SPKI SHA-256 hashes (hex) of the MX servers' next keys, may be null
 */
public record DomainRequest(String name, List<String> dkimSelectors, List<String> nextKeys) {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final int MAX_SELECTORS = 50;

  /** The request after validation. */
  public record Valid(DomainName domain, List<String> dkimSelectors, List<String> nextKeys) {}

  /**
   * Validates every field.
   *
   * @throws InvalidRequestException saying which value is invalid and why
   */
  public Valid validate() {
    DomainName domain;
    try {
      domain = DomainName.parse(name);
    } catch (DomainName.InvalidDomainException e) {
      throw new InvalidRequestException(e.getMessage());
    }
    List<String> selectors = new ArrayList<>();
    for (String selector : orEmpty(dkimSelectors)) {
      String lower;
      try {
        lower = DomainSettings.dkimSelector(selector);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(e.getMessage());
      }
      if (!selectors.contains(lower)) {
        selectors.add(lower);
      }
    }
    if (selectors.size() > MAX_SELECTORS) {
      throw new InvalidRequestException("at most " + MAX_SELECTORS + " DKIM selectors");
    }
    List<String> keys = new ArrayList<>();
    for (String key : orEmpty(nextKeys)) {
      String trimmed = key == null ? "" : key.strip();
      if (!SHA256_HEX.matcher(trimmed).matches()) {
        throw new InvalidRequestException(
            "invalid next key '" + trimmed + "': expected a SHA-256 hash as 64 hex digits");
      }
      keys.add(trimmed.toLowerCase(Locale.ROOT));
    }
    return new Valid(domain, selectors, keys);
  }

  /** Splits a form field of selectors or keys separated by spaces or commas. */
  static List<String> splitList(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return List.of(text.strip().split("[\\s,]+"));
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }

  /** A request field is invalid; the message names the value and the rule. */
  public static final class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
      super(message);
    }
  }
}
