package io.mxwatch.dns;

import com.ibm.icu.text.IDNA;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A domain name as mxwatch handles it: converted to A-labels (IDNA 2008 via UTS #46 nontransitional
 * processing, plus the RFC 5892 code point rules that UTS #46 relaxes) before any query, and shown
 * in both forms.
 *
 * @param name the absolute name in A-label form
 * @param ascii A-label form without the trailing dot, lower case
 * @param unicode U-label form without the trailing dot
 */
public record DomainName(Name name, String ascii, String unicode) {
  private static final IDNA UTS46 =
      IDNA.getUTS46Instance(
          IDNA.NONTRANSITIONAL_TO_ASCII
              | IDNA.NONTRANSITIONAL_TO_UNICODE
              | IDNA.CHECK_BIDI
              | IDNA.CHECK_CONTEXTJ
              | IDNA.CHECK_CONTEXTO
              | IDNA.USE_STD3_RULES);

  /** Maximum length of a name in text form without the trailing dot (RFC 1035 §2.3.4). */
  private static final int MAX_TEXT_LENGTH = 253;

  /**
   * Parses what a user typed: a name in Unicode or ASCII, with or without the trailing dot.
   *
   * @throws InvalidDomainException with a message that says what is wrong
   */
  public static DomainName parse(String input) {
    if (input == null || input.isBlank()) {
      throw new InvalidDomainException("domain name is empty");
    }
    String text = input.strip();
    if (text.endsWith(".")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isEmpty() || text.startsWith(".") || text.contains("..")) {
      throw new InvalidDomainException("invalid domain name '" + input + "': empty label");
    }
    if (com.google.common.net.InetAddresses.isInetAddress(text) || text.startsWith("[")) {
      throw new InvalidDomainException(
          "invalid domain name '" + input + "': an IP address is not a mail domain");
    }

    StringBuilder ascii = new StringBuilder();
    IDNA.Info info = new IDNA.Info();
    UTS46.nameToASCII(text, ascii, info);
    if (info.hasErrors()) {
      throw new InvalidDomainException(
          "invalid domain name '" + input + "': " + describe(info.getErrors()));
    }
    String asciiName = ascii.toString().toLowerCase(Locale.ROOT);
    if (asciiName.length() > MAX_TEXT_LENGTH) {
      throw new InvalidDomainException(
          "invalid domain name '" + input + "': longer than 253 characters");
    }

    rejectNonMailDomain(input, asciiName);

    StringBuilder unicode = new StringBuilder();
    UTS46.nameToUnicode(asciiName, unicode, new IDNA.Info());
    for (String label : unicode.toString().split("\\.")) {
      var disallowed = Idna2008.disallowed(label);
      if (disallowed.isPresent()) {
        throw new InvalidDomainException(
            "invalid domain name '"
                + input
                + "': contains "
                + disallowed.get()
                + ", which IDNA 2008 does not allow in host names (RFC 5892)");
      }
    }
    try {
      return new DomainName(Name.fromString(asciiName + "."), asciiName, unicode.toString());
    } catch (TextParseException e) {
      throw new InvalidDomainException("invalid domain name '" + input + "': " + e.getMessage());
    }
  }

  /**
   * Special-use names that never carry mail (RFC 6761, RFC 6762, RFC 7686): scanning one would only
   * produce errors or query the scanner's own host.
   */
  private static final java.util.Set<String> NON_MAIL_SUFFIXES =
      java.util.Set.of("localhost", "invalid", "local", "onion");

  /** Rejects input that is a name but not a mail domain: an address, one label, a special use. */
  private static void rejectNonMailDomain(String input, String asciiName) {
    if (!asciiName.contains(".")) {
      throw new InvalidDomainException(
          "invalid domain name '"
              + input
              + "': a mail domain has at least two labels, such as example.org");
    }
    if (asciiName.matches("[0-9.]+")) {
      throw new InvalidDomainException(
          "invalid domain name '" + input + "': an IP address is not a mail domain");
    }
    String topLevel = asciiName.substring(asciiName.lastIndexOf('.') + 1);
    if (NON_MAIL_SUFFIXES.contains(topLevel)) {
      throw new InvalidDomainException(
          "invalid domain name '"
              + input
              + "': ."
              + topLevel
              + " names are for special use"
              + " (RFC 6761, RFC 7686) and receive no Internet mail");
    }
  }

  /** Wraps a name that is already in wire form, such as an MX target from DNS. */
  public static DomainName of(Name name) {
    String asciiName = name.toString(true).toLowerCase(Locale.ROOT);
    StringBuilder unicode = new StringBuilder();
    UTS46.nameToUnicode(asciiName, unicode, new IDNA.Info());
    return new DomainName(name, asciiName, unicode.toString());
  }

  public boolean isInternationalized() {
    return !ascii.equals(unicode);
  }

  private static String describe(java.util.Set<IDNA.Error> errors) {
    if (errors.contains(IDNA.Error.LABEL_TOO_LONG)) {
      return "a label is longer than 63 characters";
    }
    if (errors.contains(IDNA.Error.DOMAIN_NAME_TOO_LONG)) {
      return "longer than 253 characters";
    }
    if (errors.contains(IDNA.Error.EMPTY_LABEL)) {
      return "empty label";
    }
    if (errors.contains(IDNA.Error.DISALLOWED)) {
      return "contains a character that is not allowed in host names";
    }
    if (errors.contains(IDNA.Error.LEADING_HYPHEN) || errors.contains(IDNA.Error.TRAILING_HYPHEN)) {
      return "a label starts or ends with a hyphen";
    }
    if (errors.contains(IDNA.Error.PUNYCODE) || errors.contains(IDNA.Error.INVALID_ACE_LABEL)) {
      return "a label that starts with 'xn--' is not valid Punycode";
    }
    if (errors.contains(IDNA.Error.BIDI)
        || errors.contains(IDNA.Error.CONTEXTJ)
        || errors.contains(IDNA.Error.CONTEXTO_PUNCTUATION)
        || errors.contains(IDNA.Error.CONTEXTO_DIGITS)) {
      return "mixes characters in a way IDNA 2008 does not allow (direction or joiner rules)";
    }
    if (errors.contains(IDNA.Error.LEADING_COMBINING_MARK)) {
      return "a label starts with a combining mark";
    }
    return "not a valid IDNA 2008 name";
  }

  @Override
  public String toString() {
    return isInternationalized() ? ascii + " (" + unicode + ")" : ascii;
  }

  /** The input is not a usable domain name. */
  public static final class InvalidDomainException extends IllegalArgumentException {
    public InvalidDomainException(String message) {
      super(message);
    }
  }
}
