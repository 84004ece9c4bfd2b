package io.mxwatch.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One verdict of one check on one target.
 *
 * @param check stable check id, such as {@code dane.valid}
 * @param status the verdict
 * @param target the domain, an MX host name, or {@code host/ip} for per-address results
 * @param summary one line a mail admin reads first
 * @param details structured evidence, serialised as JSON
 * @param advice what to change, or null when nothing is wrong
 */
public record Finding(
    String check,
    Status status,
    String target,
    String summary,
    Map<String, Object> details,
    String advice) {

  public Finding {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(summary, "summary");
    details = details == null ? Map.of() : unmodifiableCopy(details);
  }

  private static Map<String, Object> unmodifiableCopy(Map<String, Object> details) {
    // LinkedHashMap keeps the order the check chose and, unlike Map.copyOf, allows null values.
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static Finding of(Check check, Status status, String target, String summary) {
    return new Finding(check.id(), status, target, summary, Map.of(), null);
  }

  public Finding withDetails(Map<String, Object> newDetails) {
    return new Finding(check, status, target, summary, newDetails, advice);
  }

  public Finding withAdvice(String newAdvice) {
    return new Finding(check, status, target, summary, details, newAdvice);
  }
}
