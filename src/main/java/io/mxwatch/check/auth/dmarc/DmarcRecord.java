package io.mxwatch.check.auth.dmarc;

import java.util.List;
import java.util.Map;

/**
 * A DMARC policy record as parsed (RFC 7489 §6.3, with the DMARCbis tags {@code np}, {@code t} and
 * {@code psd}). Tags that were missing or invalid are null; {@code errors} says which.
 *
 * @param text the record as published
 * @param tags every tag as written, names lowercase, in order
 * @param policy {@code p}
 * @param subdomainPolicy {@code sp}, or null when absent
 * @param nonExistentPolicy {@code np}, or null when absent
 * @param percent {@code pct}, 100 when absent
 * @param testing {@code t=y}
 * @param psd {@code psd}, or null when absent
 * @param aggregateUris the valid {@code rua} URIs
 * @param failureUris the valid {@code ruf} URIs
 * @param invalidUris the {@code rua} and {@code ruf} URIs that receivers skip because they cannot
 *     parse them
 * @param errors why the record is invalid; empty when valid
 * @param warnings problems receivers tolerate
 */
public record DmarcRecord(
    String text,
    Map<String, String> tags,
    Policy policy,
    Policy subdomainPolicy,
    Policy nonExistentPolicy,
    int percent,
    boolean testing,
    String psd,
    List<ReportUri> aggregateUris,
    List<ReportUri> failureUris,
    List<InvalidUri> invalidUris,
    List<String> errors,
    List<String> warnings) {

  public DmarcRecord {
    tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    aggregateUris = List.copyOf(aggregateUris);
    failureUris = List.copyOf(failureUris);
    invalidUris = List.copyOf(invalidUris);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** The requested handling of failing mail (RFC 7489 §6.3 {@code p}). */
  public enum Policy {
    NONE,
    QUARANTINE,
    REJECT;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True when this policy asks receivers for less than {@code other} does. */
    public boolean weakerThan(Policy other) {
      return ordinal() < other.ordinal();
    }
  }

  /**
   * A reporting destination (RFC 7489 §6.4 {@code dmarc-uri}).
   *
   * @param uri the URI without the size limit
   * @param scheme lowercase scheme
   * @param host the domain that receives the reports, lowercase A-labels, or null
   * @param text the URI as written, with its size limit
   */
  public record ReportUri(String uri, String scheme, String host, String text) {}

  /**
   * A report URI that cannot be parsed.
   *
   * @param tag {@code rua} or {@code ruf}
   * @param text the URI as written, which may contain any character
   */
  public record InvalidUri(String tag, String text) {}

  public boolean valid() {
    return errors.isEmpty();
  }

  /**
   * True when receivers cannot use {@code p} and {@code sp} as written. RFC 7489 §6.6.3: a record
   * without a valid {@code p}, or with an {@code sp} that is not valid, is used as {@code p=none}
   * when it has a valid {@code rua}, and otherwise not at all.
   */
  public boolean policyUnusable() {
    return policy == null || (tags.containsKey("sp") && subdomainPolicy == null);
  }

  /** The policy receivers apply, or null when they apply none (see {@link #policyUnusable}). */
  public Policy effectivePolicy() {
    if (!policyUnusable()) {
      return policy;
    }
    return aggregateUris.isEmpty() ? null : Policy.NONE;
  }

  /** The policy for subdomains: {@code sp}, or {@code p} when {@code sp} is absent. */
  public Policy effectiveSubdomainPolicy() {
    if (policyUnusable() || subdomainPolicy == null) {
      return effectivePolicy();
    }
    return subdomainPolicy;
  }
}
