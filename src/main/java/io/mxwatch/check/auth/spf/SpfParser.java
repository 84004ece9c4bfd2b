package io.mxwatch.check.auth.spf;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses SPF records by the ABNF of RFC 7208 §12. A syntax error anywhere in the record is an error
 * for the whole record (§4.6), so parsing either returns a complete record or throws.
 */
public final class SpfParser {
  private SpfParser() {}

  /** The version prefix; the record selection of §4.5 compares it case-insensitively. */
  public static final String VERSION = "v=spf1";

  private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9._-]*)=(.*)");
  private static final Pattern MECHANISM_NAME = Pattern.compile("([A-Za-z0-9]+)(.*)");

  /** A trailing dual-cidr-length: {@code /n}, {@code //n} or {@code /n//m}. */
  private static final Pattern DUAL_CIDR = Pattern.compile("(.*?)(?:/([0-9]+))?(?://([0-9]+))?");

  private static final String QNUM = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])";
  private static final Pattern IP4 =
      Pattern.compile(QNUM + "\\." + QNUM + "\\." + QNUM + "\\." + QNUM);
  private static final Pattern CIDR_NUMBER = Pattern.compile("0|[1-9][0-9]*");
  private static final Pattern TOPLABEL_END =
      Pattern.compile(
          "(?s).*\\.([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])\\.?");

  /** True when the text is an SPF record by the selection rule of RFC 7208 §4.5. */
  public static boolean isSpfRecord(String text) {
    return text.regionMatches(true, 0, VERSION, 0, VERSION.length())
        && (text.length() == VERSION.length() || text.charAt(VERSION.length()) == ' ');
  }

  /**
   * Parses a whole record, version included.
   *
   * @throws SpfSyntaxException naming the first invalid term
   */
  public static SpfRecord parse(String text) {
    if (!isSpfRecord(text)) {
      throw new SpfSyntaxException("record does not start with 'v=spf1' followed by a space");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        // RFC 7208 §3.1 and §4.6.1: records are 7-bit ASCII, and terms are separated by spaces
        // only, so a tab, line break or non-ASCII byte anywhere makes the record invalid.
        throw new SpfSyntaxException(
            "character "
                + MacroString.describe(c)
                + " at position "
                + (i + 1)
                + " is not allowed; SPF records are printable ASCII separated by spaces");
      }
    }

    List<Mechanism> mechanisms = new ArrayList<>();
    List<Modifier> unknown = new ArrayList<>();
    List<Object> terms = new ArrayList<>();
    Modifier redirect = null;
    Modifier explanation = null;
    for (String term : text.substring(VERSION.length()).split(" ")) {
      if (term.isEmpty()) {
        continue;
      }
      Matcher modifier = MODIFIER.matcher(term);
      if (modifier.matches()) {
        Modifier parsed = parseModifier(modifier.group(1), modifier.group(2), term);
        switch (parsed.name()) {
          case "redirect" -> {
            if (redirect != null) {
              throw new SpfSyntaxException("'redirect' appears more than once (RFC 7208 §6)");
            }
            redirect = parsed;
          }
          case "exp" -> {
            if (explanation != null) {
              throw new SpfSyntaxException("'exp' appears more than once (RFC 7208 §6)");
            }
            explanation = parsed;
          }
          default -> unknown.add(parsed);
        }
        terms.add(parsed);
      } else {
        Mechanism mechanism = parseMechanism(term);
        mechanisms.add(mechanism);
        terms.add(mechanism);
      }
    }
    return new SpfRecord(text, mechanisms, redirect, explanation, unknown, terms);
  }

  private static Modifier parseModifier(String name, String value, String term) {
    String lower = name.toLowerCase(Locale.ROOT);
    try {
      if (lower.equals("redirect") || lower.equals("exp")) {
        return new Modifier(lower, parseDomainSpec(value), term);
      }
      return new Modifier(lower, MacroString.parse(value, false), term);
    } catch (SpfSyntaxException e) {
      throw new SpfSyntaxException("invalid modifier '" + term + "': " + e.getMessage());
    }
  }

  private static Mechanism parseMechanism(String term) {
    String body = term;
    Qualifier qualifier = Qualifier.of(term.charAt(0));
    if (qualifier != null) {
      body = term.substring(1);
    } else {
      qualifier = Qualifier.PASS;
    }
    Matcher name = MECHANISM_NAME.matcher(body);
    Mechanism.Kind kind = name.matches() ? Mechanism.Kind.of(name.group(1)) : null;
    if (kind == null) {
      throw new SpfSyntaxException("unknown mechanism '" + term + "'");
    }
    String rest = name.group(2);
    try {
      return switch (kind) {
        case ALL -> {
          requireEmpty(rest);
          yield new Mechanism(qualifier, kind, null, null, 32, 128, term);
        }
        case INCLUDE, EXISTS -> {
          MacroString target = parseDomainSpec(requireColon(rest));
          yield new Mechanism(qualifier, kind, target, null, 32, 128, term);
        }
        case PTR -> {
          MacroString target = rest.isEmpty() ? null : parseDomainSpec(requireColon(rest));
          yield new Mechanism(qualifier, kind, target, null, 32, 128, term);
        }
        case A, MX -> parseWithDualCidr(qualifier, kind, rest, term);
        case IP4 -> parseIp4(qualifier, requireColon(rest), term);
        case IP6 -> parseIp6(qualifier, requireColon(rest), term);
      };
    } catch (SpfSyntaxException e) {
      throw new SpfSyntaxException("invalid mechanism '" + term + "': " + e.getMessage());
    }
  }

  private static Mechanism parseWithDualCidr(
      Qualifier qualifier, Mechanism.Kind kind, String rest, String term) {
    Matcher cidr = DUAL_CIDR.matcher(rest);
    if (!cidr.matches()) {
      throw new SpfSyntaxException("invalid CIDR length");
    }
    int ip4Prefix = cidr.group(2) == null ? 32 : cidrLength(cidr.group(2), 32);
    int ip6Prefix = cidr.group(3) == null ? 128 : cidrLength(cidr.group(3), 128);
    String target = cidr.group(1);
    MacroString domainSpec = target.isEmpty() ? null : parseDomainSpec(requireColon(target));
    return new Mechanism(qualifier, kind, domainSpec, null, ip4Prefix, ip6Prefix, term);
  }

  private static Mechanism parseIp4(Qualifier qualifier, String value, String term) {
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    int prefix = slash < 0 ? 32 : cidrLength(value.substring(slash + 1), 32);
    if (!IP4.matcher(address).matches()) {
      throw new SpfSyntaxException("'" + address + "' is not an IPv4 address");
    }
    return new Mechanism(
        qualifier, Mechanism.Kind.IP4, null, InetAddresses.forString(address), prefix, 128, term);
  }

  private static Mechanism parseIp6(Qualifier qualifier, String value, String term) {
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    int prefix = slash < 0 ? 128 : cidrLength(value.substring(slash + 1), 128);
    if (!address.contains(":") || !InetAddresses.isInetAddress(address)) {
      throw new SpfSyntaxException("'" + address + "' is not an IPv6 address");
    }
    return new Mechanism(qualifier, Mechanism.Kind.IP6, null, toIpv6(address), 32, prefix, term);
  }

  /** The 16 bytes of an IPv6 literal, kept as IPv6 even when it is IPv4-mapped. */
  private static InetAddress toIpv6(String literal) {
    byte[] bytes = InetAddresses.forString(literal).getAddress();
    if (bytes.length == 4) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(bytes, 0, mapped, 12, 4);
      bytes = mapped;
    }
    try {
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }

  private static int cidrLength(String digits, int max) {
    if (!CIDR_NUMBER.matcher(digits).matches()) {
      throw new SpfSyntaxException(
          "CIDR length '" + digits + "' must be a number without leading zeros");
    }
    if (digits.length() > 3 || Integer.parseInt(digits) > max) {
      throw new SpfSyntaxException("CIDR length /" + digits + " is larger than " + max);
    }
    return Integer.parseInt(digits);
  }

  private static String requireColon(String rest) {
    if (!rest.startsWith(":")) {
      throw new SpfSyntaxException(
          rest.isEmpty() ? "a ':' and a value are required" : "expected ':' before '" + rest + "'");
    }
    return rest.substring(1);
  }

  private static void requireEmpty(String rest) {
    if (!rest.isEmpty()) {
      throw new SpfSyntaxException("unexpected '" + rest + "'");
    }
  }

  /**
   * Parses a domain-spec: a macro-string that ends in a macro or in {@code .toplabel}, where the
   * top label is not all-numeric (RFC 7208 §7.1), so {@code a:192.0.2.1} is invalid.
   */
  static MacroString parseDomainSpec(String text) {
    if (text.isEmpty()) {
      throw new SpfSyntaxException("the domain is empty");
    }
    MacroString spec = MacroString.parse(text, false);
    if (!spec.endsWithExpansion() && !TOPLABEL_END.matcher(spec.literalSuffix()).matches()) {
      throw new SpfSyntaxException(
          "'"
              + text
              + "' is not a domain name: it must end in a dot and a top label that is not all"
              + " numeric");
    }
    return spec;
  }
}
