package io.mxwatch.check.auth.spf;

import java.net.InetAddress;

/**
 * One directive of an SPF record: a qualifier and a mechanism (RFC 7208 §4.6.2, §5).
 *
 * @param qualifier the result when the mechanism matches
 * @param kind which mechanism
 * @param domainSpec the target domain-spec, or null when the mechanism has none or uses the current
 *     domain
 * @param network the network of {@code ip4} and {@code ip6}, or null
 * @param ip4Prefix the IPv4 CIDR length (32 when absent)
 * @param ip6Prefix the IPv6 CIDR length (128 when absent)
 * @param text the directive as written
 */
public record Mechanism(
    Qualifier qualifier,
    Kind kind,
    MacroString domainSpec,
    InetAddress network,
    int ip4Prefix,
    int ip6Prefix,
    String text) {

  /** The mechanisms of RFC 7208 §5. */
  public enum Kind {
    ALL("all", false),
    INCLUDE("include", true),
    A("a", true),
    MX("mx", true),
    PTR("ptr", true),
    IP4("ip4", false),
    IP6("ip6", false),
    EXISTS("exists", true);

    private final String token;
    private final boolean queriesDns;

    Kind(String token, boolean queriesDns) {
      this.token = token;
      this.queriesDns = queriesDns;
    }

    public String token() {
      return token;
    }

    /** True for the terms that count towards the limit of 10 DNS lookups (RFC 7208 §4.6.4). */
    public boolean queriesDns() {
      return queriesDns;
    }

    static Kind of(String token) {
      for (Kind kind : values()) {
        if (kind.token.equalsIgnoreCase(token)) {
          return kind;
        }
      }
      return null;
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
