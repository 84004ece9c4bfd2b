package io.mxwatch.check.auth.dmarc;

import io.mxwatch.check.auth.TxtStrings;
import io.mxwatch.dns.DomainName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses DMARC records by the grammar of RFC 7489 §6.4: tag names are case-insensitive, the version
 * value is exactly {@code DMARC1}, whitespace is allowed around {@code =} and {@code ;}, and
 * unknown tags are ignored. Never throws: problems become errors or warnings in the result.
 */
public final class DmarcParser {
  private DmarcParser() {}

  /** {@code v=DMARC1} at the start, as RFC 7489 §6.6.3 selects records; "v" is case-insensitive. */
  private static final Pattern VERSION = Pattern.compile("^[vV][ \t]*=[ \t]*DMARC1[ \t]*(;|$)");

  private static final Pattern TAG = Pattern.compile("([A-Za-z][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)");
  private static final Pattern SIZE_LIMIT = Pattern.compile("(.*)!([0-9]+)([kmgtKMGT]?)");

  /** True when the record starts with {@code v=DMARC1}: the records RFC 7489 §6.6.3 keeps. */
  public static boolean isDmarcRecord(String text) {
    return VERSION.matcher(text).find();
  }

  /** Parses a record that {@link #isDmarcRecord} accepted. */
  public static DmarcRecord parse(String text) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, String> tags = new LinkedHashMap<>();

    String[] pieces = text.split(";", -1);
    int offset = 0;
    for (int i = 0; i < pieces.length; i++) {
      int start = offset;
      offset += pieces[i].length() + 1;
      String piece = pieces[i].strip();
      if (piece.isEmpty()) {
        if (i > 0 && i < pieces.length - 1) {
          warnings.add("empty tag between two ';' (receivers skip it)");
        }
        continue;
      }
      Matcher tag = TAG.matcher(piece);
      if (!tag.matches()) {
        errors.add("'" + TxtStrings.printable(piece) + "' is not a tag=value pair");
        continue;
      }
      String name = tag.group(1).toLowerCase(Locale.ROOT);
      String value = tag.group(2).strip();
      if (i == 0 && !name.equals("v")) {
        errors.add("the first tag must be v=DMARC1");
      }
      // Receivers ignore an unknown tag whole and skip a report URI they cannot parse (RFC 7489
      // §6.3), so a stray character there is reported with that tag instead of here.
      int bad = firstNonPrintable(pieces[i]);
      if (bad >= 0 && KNOWN_TAGS.contains(name) && !URI_TAGS.contains(name)) {
        errors.add(
            "character "
                + TxtStrings.printable(String.valueOf(pieces[i].charAt(bad)))
                + " at position "
                + (start + bad + 1)
                + " is not allowed in a DMARC record");
      }
      if (tags.containsKey(name)) {
        errors.add(
            "tag '" + name + "' appears more than once; receivers disagree on which value wins");
        continue;
      }
      tags.put(name, value);
    }

    DmarcRecord.Policy policy = policy(tags, "p", errors);
    if (!tags.containsKey("p")) {
      errors.add("the required tag p is missing (RFC 7489 §6.3)");
    }
    DmarcRecord.Policy subdomainPolicy = policy(tags, "sp", errors);
    DmarcRecord.Policy nonExistentPolicy = policy(tags, "np", errors);
    int percent = percent(tags, errors);
    boolean testing = yesNo(tags, "t", List.of("y", "n"), errors).equals("y");
    String psd = yesNo(tags, "psd", List.of("y", "n", "u"), errors);
    alignment(tags, "adkim", errors);
    alignment(tags, "aspf", errors);
    failureOptions(tags, errors);
    reportInterval(tags, errors);
    reportFormat(tags, warnings);
    List<DmarcRecord.InvalidUri> invalidUris = new ArrayList<>();
    List<DmarcRecord.ReportUri> rua = uris(tags, "rua", invalidUris, warnings);
    List<DmarcRecord.ReportUri> ruf = uris(tags, "ruf", invalidUris, warnings);
    for (String name : tags.keySet()) {
      if (!KNOWN_TAGS.contains(name)) {
        warnings.add("unknown tag '" + name + "' is ignored");
      }
    }
    return new DmarcRecord(
        text,
        tags,
        policy,
        subdomainPolicy,
        nonExistentPolicy,
        percent,
        testing,
        psd.isEmpty() ? null : psd,
        rua,
        ruf,
        invalidUris,
        errors,
        warnings);
  }

  private static final List<String> KNOWN_TAGS =
      List.of(
          "v", "p", "sp", "np", "pct", "t", "psd", "adkim", "aspf", "fo", "rf", "ri", "rua", "ruf");

  private static final List<String> URI_TAGS = List.of("rua", "ruf");

  /** Returns the index of the first character outside printable ASCII and tab, or -1. */
  private static int firstNonPrintable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 || c > 0x7e) && c != '\t') {
        return i;
      }
    }
    return -1;
  }

  private static DmarcRecord.Policy policy(
      Map<String, String> tags, String name, List<String> errors) {
    String value = tags.get(name);
    if (value == null) {
      return null;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "none" -> DmarcRecord.Policy.NONE;
      case "quarantine" -> DmarcRecord.Policy.QUARANTINE;
      case "reject" -> DmarcRecord.Policy.REJECT;
      default -> {
        errors.add(name + "=" + value + " is invalid; it must be none, quarantine or reject");
        yield null;
      }
    };
  }

  private static int percent(Map<String, String> tags, List<String> errors) {
    String value = tags.get("pct");
    if (value == null) {
      return 100;
    }
    if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) > 100) {
      errors.add("pct=" + value + " is invalid; it must be a whole number from 0 to 100");
      return 100;
    }
    return Integer.parseInt(value);
  }

  private static String yesNo(
      Map<String, String> tags, String name, List<String> allowed, List<String> errors) {
    String value = tags.get(name);
    if (value == null) {
      return "";
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      errors.add(name + "=" + value + " is invalid; it must be one of " + allowed);
      return "";
    }
    return lower;
  }

  private static void alignment(Map<String, String> tags, String name, List<String> errors) {
    String value = tags.get(name);
    if (value != null && !value.equalsIgnoreCase("r") && !value.equalsIgnoreCase("s")) {
      errors.add(name + "=" + value + " is invalid; it must be r (relaxed) or s (strict)");
    }
  }

  private static void failureOptions(Map<String, String> tags, List<String> errors) {
    String value = tags.get("fo");
    if (value != null && !value.matches("(?i)[01ds]([ \t]*:[ \t]*[01ds])*")) {
      errors.add("fo=" + value + " is invalid; it is a ':'-separated list of 0, 1, d and s");
    }
  }

  private static void reportInterval(Map<String, String> tags, List<String> errors) {
    String value = tags.get("ri");
    if (value != null && !value.matches("[0-9]{1,32}")) {
      errors.add("ri=" + value + " is invalid; it must be a number of seconds");
    }
  }

  private static void reportFormat(Map<String, String> tags, List<String> warnings) {
    String value = tags.get("rf");
    if (value != null && !value.equalsIgnoreCase("afrf")) {
      warnings.add("rf=" + value + ": afrf is the only registered failure report format");
    }
  }

  /**
   * Parses a {@code dmarc-urilist}: URIs separated by commas, each with an optional size limit. A
   * URI that cannot be parsed goes to {@code invalid} with a warning: receivers skip it and keep
   * the rest of the record in force.
   */
  private static List<DmarcRecord.ReportUri> uris(
      Map<String, String> tags,
      String name,
      List<DmarcRecord.InvalidUri> invalid,
      List<String> warnings) {
    String value = tags.get(name);
    if (value == null) {
      return List.of();
    }
    List<DmarcRecord.ReportUri> uris = new ArrayList<>();
    for (String raw : value.split(",", -1)) {
      String text = raw.strip();
      DmarcRecord.ReportUri uri = reportUri(text);
      if (uri == null) {
        invalid.add(new DmarcRecord.InvalidUri(name, text));
        warnings.add(
            name
                + " contains an invalid URI '"
                + TxtStrings.printable(text)
                + "', which receivers skip; use mailto:address@domain, with ',' and '!'"
                + " percent-encoded");
      } else {
        uris.add(uri);
      }
    }
    return uris;
  }

  static DmarcRecord.ReportUri reportUri(String text) {
    if (text.isEmpty()) {
      return null;
    }
    String uriText = text;
    Matcher limit = SIZE_LIMIT.matcher(text);
    if (limit.matches()) {
      uriText = limit.group(1);
    }
    try {
      URI uri = new URI(uriText);
      String scheme = uri.getScheme();
      if (scheme == null) {
        return null;
      }
      scheme = scheme.toLowerCase(Locale.ROOT);
      String host;
      if (scheme.equals("mailto")) {
        String address = uri.getSchemeSpecificPart();
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1 || address.contains("?")) {
          return null;
        }
        host = address.substring(at + 1);
      } else {
        host = uri.getHost();
      }
      if (host == null) {
        return null;
      }
      return new DmarcRecord.ReportUri(uriText, scheme, DomainName.parse(host).ascii(), text);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
