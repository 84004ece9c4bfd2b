package io.mxwatch.check.policy.mtasts;

import io.mxwatch.check.auth.TxtStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts} TXT record (RFC 8461 §3.1).
 *
 * @param text the record as published
 * @param id the policy id, or null when invalid
 * @param errors why the record is invalid; empty when valid
 */
public record MtaStsRecord(String text, String id, List<String> errors) {
  public MtaStsRecord {
    errors = List.copyOf(errors);
  }

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
  private static final Pattern EXTENSION =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,31})=([\\x21-\\x3a\\x3c\\x3e-\\x7e]+)");

  /** True for the records RFC 8461 §3.1 keeps: those that begin with {@code v=STSv1;}. */
  public static boolean isStsRecord(String text) {
    return text.startsWith("v=STSv1;");
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  /** Parses a record by the ABNF of RFC 8461 §3.1; never throws. */
  public static MtaStsRecord parse(String text) {
    List<String> errors = new ArrayList<>();
    String id = null;
    String[] fields = text.split(";", -1);
    if (!fields[0].strip().equals("v=STSv1")) {
      errors.add("the record must begin with v=STSv1;");
    }
    for (int i = 1; i < fields.length; i++) {
      String field = fields[i].strip();
      if (field.isEmpty()) {
        if (i != fields.length - 1) {
          errors.add("empty field between two ';'");
        }
        continue;
      }
      if (field.startsWith("id=")) {
        String value = field.substring(3);
        if (id != null) {
          errors.add("id appears more than once");
        } else if (!ID.matcher(value).matches()) {
          errors.add(
              "id="
                  + TxtStrings.printable(value)
                  + " is invalid; it must be 1 to 32 letters and"
                  + " digits");
        } else {
          id = value;
        }
        continue;
      }
      Matcher extension = EXTENSION.matcher(field);
      if (!extension.matches()) {
        errors.add("'" + TxtStrings.printable(field) + "' is not a valid field");
      }
    }
    if (id == null && errors.stream().noneMatch(e -> e.startsWith("id="))) {
      errors.add("the required field id is missing");
    }
    return new MtaStsRecord(text, id, errors);
  }
}
