package io.mxwatch.cli;

import io.mxwatch.check.Findings;
import io.mxwatch.model.Category;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.MxHost;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The plain-text scorecard that {@code mxwatch scan} prints. */
final class Scorecard {
  private Scorecard() {}

  static String render(ScanResult result) {
    StringBuilder text = new StringBuilder();
    String title =
        result.domain().equals(result.unicodeDomain())
            ? result.domain()
            : result.domain() + " (" + result.unicodeDomain() + ")";
    text.append(title).append('\n');
    text.append("  score: ").append(score(result)).append('\n');
    text.append("  scanned: ")
        .append(result.scannedAt())
        .append(" in ")
        .append(result.duration().toMillis())
        .append(" ms, ")
        .append(result.stats().dnsQueries())
        .append(result.stats().dnsQueries() == 1 ? " DNS query" : " DNS queries")
        .append(", ")
        .append(Findings.count(result.stats().smtpConnections(), "SMTP connection"))
        .append('\n');
    Optional<Finding> present =
        result.findings().stream().filter(f -> f.check().equals(Check.MX_PRESENT.id())).findFirst();
    boolean lookupFailed = present.map(f -> f.status() == Status.ERROR).orElse(false);
    boolean implicit = present.map(f -> f.summary().contains("(implicit MX)")).orElse(false);
    if (result.mxHosts().isEmpty()) {
      text.append(
          lookupFailed
              ? "  mail servers: unknown, the MX lookup failed\n"
              : "  mail servers: none\n");
    }
    for (MxHost host : result.mxHosts()) {
      text.append(implicit ? "  no MX record, mail goes to " : "  MX " + host.preference() + " ")
          .append(host.name())
          .append(' ')
          .append(host.addresses())
          .append('\n');
    }
    for (Category category : Category.values()) {
      List<Finding> findings =
          result.findings().stream()
              .filter(f -> Check.byId(f.check()).map(Check::category).orElse(null) == category)
              .toList();
      if (findings.isEmpty()) {
        continue;
      }
      text.append('\n').append(category.title()).append('\n');
      for (Finding finding : findings) {
        text.append(
            String.format(
                Locale.ROOT,
                "  %-5s %-27s %s%n",
                label(finding.status()),
                finding.check(),
                finding.target()));
        text.append("        ").append(indented(finding.summary())).append('\n');
        if (finding.advice() != null && finding.status() != Status.PASS) {
          text.append("        fix: ").append(indented(finding.advice())).append('\n');
        }
      }
    }
    text.append('\n');
    return text.toString();
  }

  private static String score(ScanResult result) {
    if (result.score().overall() == null) {
      return "n/a (nothing scored)";
    }
    StringBuilder text = new StringBuilder().append(result.score().overall()).append('%');
    StringBuilder parts = new StringBuilder();
    for (Map.Entry<Category, Integer> entry :
        result.score().categories().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .toList()) {
      if (!parts.isEmpty()) {
        parts.append(", ");
      }
      parts.append(entry.getKey().title()).append(' ').append(entry.getValue()).append('%');
    }
    return text.append(" (").append(parts).append(')').toString();
  }

  private static String label(Status status) {
    return switch (status) {
      case NOT_APPLICABLE -> "N/A";
      default -> status.wireName().toUpperCase(Locale.ROOT);
    };
  }

  /** Cleans each line and indents continuation lines under the first. */
  private static String indented(String text) {
    return String.join("\n             ", text.lines().map(Scorecard::clean).toList());
  }

  /** Remote data may hold control characters; a terminal must not interpret them. */
  static String clean(String text) {
    StringBuilder cleaned = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                cleaned.append(String.format(Locale.ROOT, "\\x%02x", c));
              } else {
                cleaned.appendCodePoint(c);
              }
            });
    return cleaned.toString();
  }
}
