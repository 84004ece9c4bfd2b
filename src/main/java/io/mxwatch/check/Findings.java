package io.mxwatch.check;

import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small builders shared by check modules. */
public final class Findings {
  private Findings() {}

  /**
   * Formats a count with its noun in the singular or plural: "1 suite", "2 suites", "0 days". The
   * plural adds "es" after s, x, z, ch and sh ("2 addresses") and "s" otherwise.
   */
  public static String count(long count, String singular) {
    if (count == 1) {
      return count + " " + singular;
    }
    boolean sibilant =
        singular.endsWith("s")
            || singular.endsWith("x")
            || singular.endsWith("z")
            || singular.endsWith("ch")
            || singular.endsWith("sh");
    return count + " " + singular + (sibilant ? "es" : "s");
  }

  public static Finding finding(Check check, Status status, String target, String summary) {
    return new Finding(check.id(), status, target, summary, Map.of(), null);
  }

  public static Finding finding(
      Check check,
      Status status,
      String target,
      String summary,
      Map<String, Object> details,
      String advice) {
    return new Finding(check.id(), status, target, summary, details, advice);
  }

  /**
   * The finding of a per-server check when the domain has no mail server to check: not applicable
   * for a null MX or a domain without mail, an error when the MX lookup itself failed.
   */
  public static Finding withoutServers(Check check, String domain, MxResolution mx) {
    return switch (mx) {
      case MxResolution.NullMx n ->
          finding(check, Status.NOT_APPLICABLE, domain, "null MX: the domain accepts no mail");
      case MxResolution.Unknown u when !u.answer().bogus() ->
          new Finding(
              check.id(),
              Status.ERROR,
              domain,
              "the mail servers are unknown because the MX lookup failed: " + u.answer().describe(),
              details(u.answer()),
              null);
      case MxResolution.Unknown u ->
          finding(
              check,
              Status.NOT_APPLICABLE,
              domain,
              "the MX RRset fails DNSSEC validation, so no mail server can be checked");
      default -> finding(check, Status.NOT_APPLICABLE, domain, "the domain has no mail server");
    };
  }

  /** An {@code error} finding for a lookup that ended without an answer. */
  public static Finding lookupError(Check check, String target, DnsAnswer answer) {
    return new Finding(
        check.id(),
        Status.ERROR,
        target,
        "DNS lookup failed: " + answer.describe(),
        details(answer),
        null);
  }

  /** The parts of a DNS answer that explain a verdict. */
  public static Map<String, Object> details(DnsAnswer answer) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("query", answer.name() + " " + org.xbill.DNS.Type.string(answer.type()));
    details.put("outcome", answer.outcome().name());
    details.put("dnssec", answer.security().name().toLowerCase(java.util.Locale.ROOT));
    if (!answer.cnameChain().isEmpty()) {
      details.put("cnames", answer.cnameChain().stream().map(Object::toString).toList());
    }
    if (answer.reason() != null) {
      details.put("reason", answer.reason());
    }
    if (answer.edeCode() >= 0) {
      details.put("extendedError", answer.edeCode());
    }
    return details;
  }
}
