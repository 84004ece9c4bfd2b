package io.mxwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Verdict of one finding. The lowercase wire names are part of the public contract. */
public enum Status {
  PASS,
  WARN,
  FAIL,
  INFO,
  /** The scanner could not tell (timeout, SERVFAIL, refused, rate-limited). */
  ERROR,
  NOT_APPLICABLE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Status fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Severity for sorting "worst first": fail, warn, error, info, pass, not_applicable. */
  public int severity() {
    return switch (this) {
      case FAIL -> 5;
      case WARN -> 4;
      case ERROR -> 3;
      case INFO -> 2;
      case PASS -> 1;
      case NOT_APPLICABLE -> 0;
    };
  }

  /** True for the statuses that say something about the domain, as opposed to the scanner. */
  public boolean isConclusive() {
    return this != ERROR;
  }
}
