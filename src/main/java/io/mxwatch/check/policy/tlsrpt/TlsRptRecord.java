package io.mxwatch.check.policy.tlsrpt;

import io.mxwatch.check.auth.TxtStrings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code _smtp._tls} TXT record of SMTP TLS Reporting (RFC 8460 §3).
 *
 * @param text the record as published
 * @param rua the valid reporting URIs
 * @param errors why the record is invalid; empty when valid
 */
public record TlsRptRecord(String text, List<String> rua, List<String> errors) {
  public TlsRptRecord {
    rua = List.copyOf(rua);
    errors = List.copyOf(errors);
  }

  private static final Pattern EXTENSION =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");

  /** True for the records RFC 8460 §3 keeps: those that begin with {@code v=TLSRPTv1;}. */
  public static boolean isTlsRptRecord(String text) {
    return text.startsWith("v=TLSRPTv1;");
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  /** Parses a record by the ABNF of RFC 8460 §3; never throws. */
  public static TlsRptRecord parse(String text) {
    List<String> errors = new ArrayList<>();
    List<String> rua = new ArrayList<>();
    String[] fields = text.split(";", -1);
    if (!fields[0].strip().equals("v=TLSRPTv1")) {
      errors.add("the record must begin with v=TLSRPTv1;");
    }
    boolean sawRua = false;
    for (int i = 1; i < fields.length; i++) {
      String field = fields[i].strip();
      if (field.isEmpty()) {
        if (i != fields.length - 1) {
          errors.add("empty field between two ';'");
        }
        continue;
      }
      if (field.startsWith("rua=")) {
        if (sawRua) {
          errors.add("rua appears more than once");
          continue;
        }
        sawRua = true;
        for (String uri : field.substring(4).split(",", -1)) {
          String problem = uriProblem(uri.strip());
          if (problem != null) {
            errors.add(problem);
          } else {
            rua.add(uri.strip());
          }
        }
        continue;
      }
      if (!EXTENSION.matcher(field).matches()) {
        errors.add("'" + TxtStrings.printable(field) + "' is not a valid field");
      }
    }
    if (!sawRua) {
      errors.add("the required field rua is missing");
    }
    return new TlsRptRecord(text, rua, errors);
  }

  /** Why {@code text} is not a usable report URI: only mailto: and https: are defined. */
  private static String uriProblem(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      switch (scheme) {
        case "mailto" -> {
          String address = uri.getSchemeSpecificPart();
          int at = address.lastIndexOf('@');
          if (at <= 0 || at == address.length() - 1) {
            return "rua " + TxtStrings.printable(text) + " is not a mail address";
          }
          return null;
        }
        case "https" -> {
          return uri.getHost() == null
              ? "rua " + TxtStrings.printable(text) + " has no host"
              : null;
        }
        default -> {
          return "rua " + TxtStrings.printable(text) + " must be a mailto: or https: URI";
        }
      }
    } catch (URISyntaxException e) {
      return "rua " + TxtStrings.printable(text) + " is not a valid URI";
    }
  }
}
