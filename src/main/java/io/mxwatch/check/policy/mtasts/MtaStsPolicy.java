package io.mxwatch.check.policy.mtasts;

import io.mxwatch.check.auth.TxtStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MTA-STS policy file (RFC 8461 §3.2).
 *
 * @param mode the mode, or null when missing or invalid
 * @param maxAge {@code max_age} in seconds, or -1 when missing or invalid
 * @param mxPatterns the {@code mx} patterns, lowercase
 * @param errors why the policy is invalid; empty when valid
 * @param warnings problems that senders tolerate
 */
public record MtaStsPolicy(
    Mode mode, long maxAge, List<String> mxPatterns, List<String> errors, List<String> warnings) {
  public MtaStsPolicy {
    mxPatterns = List.copyOf(mxPatterns);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** The policy modes of RFC 8461 §5. */
  public enum Mode {
    ENFORCE,
    TESTING,
    NONE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The largest {@code max_age} RFC 8461 §3.2 allows: one year. */
  public static final long MAX_AGE_LIMIT = 31_557_600;

  private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_.-]+):[ \t]*(.*?)[ \t]*");
  private static final Pattern MX_PATTERN =
      Pattern.compile(
          "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

  public boolean valid() {
    return errors.isEmpty();
  }

  /**
   * Parses a policy body: {@code key: value} lines ended by CRLF or LF. Field names and values are
   * case-sensitive; unknown fields are ignored. Never throws.
   */
  public static MtaStsPolicy parse(String body) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String version = null;
    Mode mode = null;
    long maxAge = -1;
    List<String> mx = new ArrayList<>();
    boolean sawMode = false;
    boolean sawMaxAge = false;

    String[] lines = body.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      if (line.indexOf('\r') >= 0) {
        errors.add("line " + (i + 1) + " contains a bare CR; lines end in CRLF or LF");
        continue;
      }
      Matcher field = LINE.matcher(line);
      if (!field.matches()) {
        errors.add("line " + (i + 1) + " is not 'key: value': " + TxtStrings.printable(line));
        continue;
      }
      String key = field.group(1);
      String value = field.group(2);
      switch (key) {
        case "version" -> {
          if (version != null) {
            warnings.add("version appears more than once; the first is used");
          } else {
            version = value;
          }
        }
        case "mode" -> {
          if (sawMode) {
            warnings.add("mode appears more than once; the first is used");
            continue;
          }
          sawMode = true;
          mode = parseMode(value, errors);
        }
        case "max_age" -> {
          if (sawMaxAge) {
            warnings.add("max_age appears more than once; the first is used");
            continue;
          }
          sawMaxAge = true;
          maxAge = parseMaxAge(value, errors);
        }
        case "mx" -> {
          String pattern = value.toLowerCase(Locale.ROOT);
          if (!MX_PATTERN.matcher(pattern).matches()) {
            errors.add(
                "mx: " + TxtStrings.printable(value) + " is not a host name or *.domain pattern");
          } else {
            mx.add(pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern);
          }
        }
        default -> {
          // RFC 8461 §3.2: unknown fields are ignored.
        }
      }
    }
    if (version == null) {
      errors.add("the required field version is missing");
    } else if (!version.equals("STSv1")) {
      errors.add("version: " + TxtStrings.printable(version) + " is invalid; it must be STSv1");
    }
    if (!sawMode) {
      errors.add("the required field mode is missing");
    }
    if (!sawMaxAge) {
      errors.add("the required field max_age is missing");
    }
    if (mx.isEmpty() && mode != null && mode != Mode.NONE) {
      errors.add("mode " + mode.wireName() + " requires at least one mx line");
    }
    return new MtaStsPolicy(mode, maxAge, mx, errors, warnings);
  }

  private static Mode parseMode(String value, List<String> errors) {
    return switch (value) {
      case "enforce" -> Mode.ENFORCE;
      case "testing" -> Mode.TESTING;
      case "none" -> Mode.NONE;
      default -> {
        errors.add(
            "mode: "
                + TxtStrings.printable(value)
                + " is invalid; it must be enforce, testing or"
                + " none");
        yield null;
      }
    };
  }

  private static long parseMaxAge(String value, List<String> errors) {
    if (!value.matches("[0-9]{1,10}") || Long.parseLong(value) > MAX_AGE_LIMIT) {
      errors.add(
          "max_age: "
              + TxtStrings.printable(value)
              + " is invalid; it must be 0 to 31557600"
              + " seconds");
      return -1;
    }
    return Long.parseLong(value);
  }

  /**
   * True when {@code host} (A-labels, any case, trailing dot optional) matches {@code pattern}:
   * exactly, or for {@code *.domain} with exactly one more label on the left (RFC 8461 §4.1).
   */
  public static boolean matches(String pattern, String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    String p = pattern.toLowerCase(Locale.ROOT);
    if (p.startsWith("*.")) {
      int dot = name.indexOf('.');
      return dot > 0 && name.substring(dot + 1).equals(p.substring(2));
    }
    return name.equals(p);
  }
}
