package io.mxwatch.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Scorecard categories, in the order the mail test of internet.nl shows them. */
public enum Category {
  MX("mx", "MX"),
  IPV6("ipv6", "IPv6"),
  DNSSEC("dnssec", "DNSSEC"),
  AUTH("auth", "Authentication"),
  TLS("tls", "STARTTLS, TLS and DANE"),
  POLICY("policy", "MTA-STS and TLS-RPT"),
  RPKI("rpki", "RPKI");

  private final String key;
  private final String title;

  Category(String key, String title) {
    this.key = key;
    this.title = title;
  }

  @JsonValue
  public String key() {
    return key;
  }

  public String title() {
    return title;
  }
}
