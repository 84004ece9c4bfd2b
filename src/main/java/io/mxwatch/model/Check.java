package io.mxwatch.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The check catalogue. Ids are a public contract shared by the JSON output, the REST API, the
 * database and the metrics: add ids freely, never rename one.
 *
 * <p>{@code scored} marks the subtests that the mail test of internet.nl treats as mandatory. Only
 * those count towards the score, so that a score here can be compared with one there; the other
 * checks are reported and alerted on but never lower the score.
 */
public enum Check {
  MX_PRESENT("mx.present", Category.MX, false),
  MX_TARGETS("mx.targets", Category.MX, false),

  IPV6_NS_AAAA("ipv6.ns_aaaa", Category.IPV6, true),
  IPV6_NS_REACH("ipv6.ns_reach", Category.IPV6, true),
  IPV6_MX_AAAA("ipv6.mx_aaaa", Category.IPV6, true),
  IPV6_MX_REACH("ipv6.mx_reach", Category.IPV6, true),

  DNSSEC_DOMAIN("dnssec.domain", Category.DNSSEC, true),
  DNSSEC_MX_ZONE("dnssec.mx_zone", Category.DNSSEC, true),
  DNSSEC_SIGNATURE_EXPIRY("dnssec.signature_expiry", Category.DNSSEC, false),
  DNSSEC_ALGORITHMS("dnssec.algorithms", Category.DNSSEC, false),

  AUTH_SPF("auth.spf", Category.AUTH, true),
  AUTH_SPF_POLICY("auth.spf_policy", Category.AUTH, true),
  AUTH_DMARC("auth.dmarc", Category.AUTH, true),
  AUTH_DMARC_POLICY("auth.dmarc_policy", Category.AUTH, true),
  AUTH_DMARC_REPORT_AUTH("auth.dmarc_report_auth", Category.AUTH, false),
  AUTH_DKIM("auth.dkim", Category.AUTH, true),

  MTASTS_POLICY("mtasts.policy", Category.POLICY, false),
  TLSRPT_RECORD("tlsrpt.record", Category.POLICY, false),

  SMTP_REACHABLE("smtp.reachable", Category.TLS, false),
  TLS_STARTTLS("tls.starttls", Category.TLS, true),
  TLS_VERSIONS("tls.versions", Category.TLS, true),
  TLS_CIPHERS("tls.ciphers", Category.TLS, true),
  TLS_CIPHER_ORDER("tls.cipher_order", Category.TLS, true),
  TLS_KEY_EXCHANGE("tls.key_exchange", Category.TLS, true),
  TLS_SIGALGS("tls.sigalgs", Category.TLS, true),
  TLS_COMPRESSION("tls.compression", Category.TLS, true),
  TLS_SECURE_RENEGOTIATION("tls.secure_renegotiation", Category.TLS, true),
  TLS_CLIENT_RENEGOTIATION("tls.client_renegotiation", Category.TLS, false),
  TLS_EXTENDED_MASTER_SECRET("tls.extended_master_secret", Category.TLS, true),
  CERT_EXPIRY("cert.expiry", Category.TLS, false),
  CERT_PUBKEY("cert.pubkey", Category.TLS, true),
  CERT_SIGNATURE("cert.signature", Category.TLS, true),
  CERT_TRUST("cert.trust", Category.TLS, false),

  DANE_EXISTS("dane.exists", Category.TLS, true),
  DANE_VALID("dane.valid", Category.TLS, true),
  DANE_ROLLOVER("dane.rollover", Category.TLS, false),
  DANE_ADVICE("dane.advice", Category.TLS, false),
  DANE_MISPLACED("dane.misplaced", Category.TLS, false),

  RPKI_MX_EXISTS("rpki.mx_exists", Category.RPKI, false),
  RPKI_NS_EXISTS("rpki.ns_exists", Category.RPKI, false),
  RPKI_MX_VALID("rpki.mx_valid", Category.RPKI, true),
  RPKI_NS_VALID("rpki.ns_valid", Category.RPKI, true);

  private static final Map<String, Check> BY_ID =
      Arrays.stream(values()).collect(Collectors.toMap(Check::id, Function.identity()));

  private final String id;
  private final Category category;
  private final boolean scored;

  Check(String id, Category category, boolean scored) {
    this.id = id;
    this.category = category;
    this.scored = scored;
  }

  public String id() {
    return id;
  }

  public Category category() {
    return category;
  }

  public boolean scored() {
    return scored;
  }

  public static Optional<Check> byId(String id) {
    return Optional.ofNullable(BY_ID.get(id));
  }

  @Override
  public String toString() {
    return id;
  }
}
