package io.mxwatch.check.auth.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed SPF macro-string (RFC 7208 §7.1): literal text mixed with {@code %{...}} expansions.
 * Parsing validates the syntax; {@link #expand} fills in the values of one evaluation.
 */
public final class MacroString {

  /** Macro letters whose value depends on the connecting client or the sender's local part. */
  public static final Set<Character> SENDER_DEPENDENT =
      Set.of('s', 'l', 'i', 'p', 'v', 'h', 'c', 'r', 't');

  /** Letters allowed only in the text of an explanation (RFC 7208 §7.2). */
  private static final Set<Character> EXPLANATION_ONLY = Set.of('c', 'r', 't');

  private static final String LETTERS = "slodiphcrtv";
  private static final String DELIMITERS = ".-+,/_=";

  /** One piece of the string: literal text or a macro expansion. */
  sealed interface Part {}

  record Literal(String text) implements Part {}

  /**
   * {@code %{letter digits r delimiters}}; {@code digits} is 0 when absent (keep every part).
   *
   * @param upper the letter was uppercase, so the value is URL-escaped after expansion
   */
  record Expansion(char letter, boolean upper, int digits, boolean reverse, String delimiters)
      implements Part {}

  private final String text;
  private final List<Part> parts;

  private MacroString(String text, List<Part> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
  }

  public String text() {
    return text;
  }

  List<Part> parts() {
    return parts;
  }

  /**
   * Parses a macro-string.
   *
   * @param explanation true for the text of an explanation, where spaces and the letters c, r and t
   *     are allowed
   * @throws SpfSyntaxException when the text does not match the grammar
   */
  public static MacroString parse(String text, boolean explanation) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '%') {
        boolean allowed = (c >= 0x21 && c <= 0x7e) || (explanation && c == ' ');
        if (!allowed) {
          throw new SpfSyntaxException(
              "character " + describe(c) + " is not allowed in '" + text + "'");
        }
        literal.append(c);
        i++;
        continue;
      }
      if (i + 1 >= text.length()) {
        throw new SpfSyntaxException("'%' at the end of '" + text + "' (write '%%' for a percent)");
      }
      char next = text.charAt(i + 1);
      switch (next) {
        case '%' -> {
          literal.append('%');
          i += 2;
        }
        case '_' -> {
          literal.append(' ');
          i += 2;
        }
        case '-' -> {
          literal.append("%20");
          i += 2;
        }
        case '{' -> {
          if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
          }
          int close = text.indexOf('}', i);
          if (close < 0) {
            throw new SpfSyntaxException("unterminated macro in '" + text + "'");
          }
          parts.add(parseExpansion(text.substring(i + 2, close), text, explanation));
          i = close + 1;
        }
        default ->
            throw new SpfSyntaxException(
                "invalid macro '%" + next + "' in '" + text + "' (write '%%' for a percent)");
      }
    }
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
    }
    return new MacroString(text, parts);
  }

  private static Expansion parseExpansion(String body, String text, boolean explanation) {
    if (body.isEmpty()) {
      throw new SpfSyntaxException("empty macro '%{}' in '" + text + "'");
    }
    char raw = body.charAt(0);
    char letter = Character.toLowerCase(raw);
    if (raw > 0x7e || LETTERS.indexOf(letter) < 0) {
      throw new SpfSyntaxException("unknown macro letter '" + raw + "' in '" + text + "'");
    }
    if (!explanation && EXPLANATION_ONLY.contains(letter)) {
      // RFC 7208 §7.2: c, r and t are only allowed in the explanation text.
      throw new SpfSyntaxException(
          "macro letter '" + raw + "' is only allowed in explanation text: '" + text + "'");
    }
    int i = 1;
    int digitsStart = i;
    while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
      i++;
    }
    int digits = 0;
    if (i > digitsStart) {
      String number = body.substring(digitsStart, i);
      // More than three digits cannot be a label count of a 253-character name.
      digits = number.length() > 3 ? 1000 : Integer.parseInt(number);
      if (digits == 0) {
        // RFC 7208 §7.3: "If a DIGIT is specified, the value MUST be nonzero."
        throw new SpfSyntaxException("macro transformer 0 in '" + text + "' must be nonzero");
      }
    }
    boolean reverse = false;
    if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
      reverse = true;
      i++;
    }
    String delimiters = body.substring(i);
    for (char d : delimiters.toCharArray()) {
      if (DELIMITERS.indexOf(d) < 0) {
        throw new SpfSyntaxException(
            "invalid macro delimiter " + describe(d) + " in '" + text + "'");
      }
    }
    return new Expansion(letter, Character.isUpperCase(raw), digits, reverse, delimiters);
  }

  /** True when the string contains at least one {@code %{...}} expansion. */
  public boolean hasExpansions() {
    return parts.stream().anyMatch(Expansion.class::isInstance);
  }

  /** The letters used, lowercase. */
  public Set<Character> letters() {
    Set<Character> letters = new java.util.TreeSet<>();
    for (Part part : parts) {
      if (part instanceof Expansion e) {
        letters.add(e.letter());
      }
    }
    return letters;
  }

  /** True when the expansion depends on the client or the local part of the sender. */
  public boolean isSenderDependent() {
    return letters().stream().anyMatch(SENDER_DEPENDENT::contains);
  }

  /** True when the last part is an expansion: the domain-end of RFC 7208 §7.1 is then a macro. */
  boolean endsWithExpansion() {
    return !parts.isEmpty() && parts.get(parts.size() - 1) instanceof Expansion;
  }

  /** The literal text after the last expansion, or the whole string without expansions. */
  String literalSuffix() {
    if (parts.isEmpty() || !(parts.get(parts.size() - 1) instanceof Literal last)) {
      return "";
    }
    return last.text();
  }

  /** Expands the string with the values of one evaluation (RFC 7208 §7.3). */
  public String expand(MacroValues values) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      switch (part) {
        case Literal literal -> out.append(literal.text());
        case Expansion expansion -> out.append(expand(expansion, values));
      }
    }
    return out.toString();
  }

  private static String expand(Expansion expansion, MacroValues values) {
    String value = values.value(expansion.letter());
    String delimiters = expansion.delimiters().isEmpty() ? "." : expansion.delimiters();
    List<String> split = split(value, delimiters);
    if (expansion.reverse()) {
      java.util.Collections.reverse(split);
    }
    if (expansion.digits() > 0 && expansion.digits() < split.size()) {
      split = split.subList(split.size() - expansion.digits(), split.size());
    }
    String joined = String.join(".", split);
    return expansion.upper() ? urlEscape(joined) : joined;
  }

  private static List<String> split(String value, String delimiters) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      if (delimiters.indexOf(value.charAt(i)) >= 0) {
        pieces.add(value.substring(start, i));
        start = i + 1;
      }
    }
    pieces.add(value.substring(start));
    return pieces;
  }

  /** Escapes every character outside the URI "unreserved" set (RFC 3986 §2.3), as §7.3 asks. */
  private static String urlEscape(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~';
      if (unreserved) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static String describe(char c) {
    if (c >= 0x21 && c <= 0x7e) {
      return "'" + c + "'";
    }
    return String.format(Locale.ROOT, "U+%04X", (int) c);
  }

  /** The values the macro letters expand to during one evaluation. */
  public interface MacroValues {
    /** The value of a lowercase macro letter. */
    String value(char letter);
  }

  @Override
  public String toString() {
    return text;
  }
}
