package io.mxwatch.check.auth.spf;

import java.util.Locale;

/** The result of check_host() (RFC 7208 §2.6). */
public enum SpfResult {
  NONE,
  NEUTRAL,
  PASS,
  FAIL,
  SOFTFAIL,
  TEMPERROR,
  PERMERROR;

  /** The name the RFC and Received-SPF headers use, such as {@code softfail}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isError() {
    return this == TEMPERROR || this == PERMERROR;
  }

  @Override
  public String toString() {
    return wireName();
  }
}
