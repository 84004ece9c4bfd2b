package io.mxwatch.check.auth.spf;

/**
 * A {@code name=value} term (RFC 7208 §6): {@code redirect}, {@code exp} or an unknown modifier,
 * which evaluation ignores but whose value must still be a valid macro-string.
 *
 * @param name the modifier name, lowercase
 * @param value the parsed value
 * @param text the term as written
 */
public record Modifier(String name, MacroString value, String text) {
  @Override
  public String toString() {
    return text;
  }
}
