package io.mxwatch.scan;

import io.mxwatch.model.Category;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Score;
import io.mxwatch.model.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Computes the score the way the mail test of internet.nl does. Each scored (mandatory) subtest is
 * worth 10 points when it passes or warns and 0 when it fails. In the TLS category each mail server
 * is scored on its own, and the weakest one sets the percentage. The overall score is the mean of
 * the categories that had scored subtests.
 *
 * <p>An {@code error} finding never lowers a score: the scorer uses the last conclusive status of
 * that check and target when the caller knows one, and otherwise leaves the subtest out.
 * Not-applicable and informational results are left out too.
 */
public final class Scorer {
  private static final int POINTS = 10;

  private Scorer() {}

  /** Scores findings with no history: errors are left out. */
  public static Score score(List<Finding> findings) {
    return score(findings, (check, target) -> Optional.empty());
  }

  /**
   * @param lastConclusive the last conclusive status of a check on a target before this scan
   */
  public static Score score(
      List<Finding> findings, BiFunction<String, String, Optional<Status>> lastConclusive) {
    return score(findings, lastConclusive, Map.of());
  }

  /**
   * Scores findings against the domain's history.
   *
   * @param lastConclusive the last conclusive status of a check on a target before this scan
   * @param previousCategories the category percentages of the previous scan: a category whose
   *     scored subtests all ended in error without an earlier conclusive result for their target
   *     (the MX lookup failed, so the per-server findings name the domain) keeps its previous
   *     percentage instead of dropping out of the mean; so does the TLS category when some MX
   *     host's address lookups failed, which leaves that host without per-address findings
   */
  public static Score score(
      List<Finding> findings,
      BiFunction<String, String, Optional<Status>> lastConclusive,
      Map<Category, Integer> previousCategories) {
    Map<Category, List<Finding>> byCategory = new EnumMap<>(Category.class);
    Map<Category, List<Finding>> unresolved = new EnumMap<>(Category.class);
    for (Finding finding : findings) {
      Optional<Check> check = Check.byId(finding.check());
      if (check.isEmpty() || !check.get().scored()) {
        continue;
      }
      Status status = finding.status();
      if (status == Status.ERROR) {
        Optional<Status> previous = lastConclusive.apply(finding.check(), finding.target());
        if (previous.isEmpty()) {
          unresolved.computeIfAbsent(check.get().category(), c -> new ArrayList<>()).add(finding);
          continue;
        }
        status = previous.get();
      }
      // Informational results of a scored check (DANE on an unsigned MX zone) carry no points.
      if (status == Status.NOT_APPLICABLE || status == Status.INFO) {
        continue;
      }
      Finding effective =
          new Finding(finding.check(), status, finding.target(), finding.summary(), null, null);
      byCategory.computeIfAbsent(check.get().category(), c -> new ArrayList<>()).add(effective);
    }

    // A host whose address lookups failed has no per-address findings at all, so the TLS score of
    // the other servers alone would move with every such blip.
    boolean addressesUnknown =
        findings.stream()
            .anyMatch(f -> f.check().equals(Check.MX_TARGETS.id()) && f.status() == Status.ERROR);
    Map<Category, Integer> percentages = new EnumMap<>(Category.class);
    for (Category category : Category.values()) {
      List<Finding> conclusive = byCategory.getOrDefault(category, List.of());
      List<Finding> errors = unresolved.getOrDefault(category, List.of());
      Integer percentage = null;
      if (category == Category.TLS) {
        // Host-level DANE findings alone say nothing about servers none of which was probed.
        boolean serversUnknown =
            conclusive.stream().noneMatch(f -> f.target().contains("/"))
                && errors.stream().anyMatch(f -> !f.check().equals(Check.DANE_EXISTS.id()));
        boolean keepPrevious = addressesUnknown && previousCategories.containsKey(category);
        if (!conclusive.isEmpty() && !serversUnknown && !keepPrevious) {
          percentage = perServer(conclusive);
        }
        if (keepPrevious) {
          percentage = previousCategories.get(category);
        }
      } else if (!conclusive.isEmpty()) {
        percentage = perSubtest(conclusive);
      }
      if (percentage == null && !errors.isEmpty()) {
        percentage = previousCategories.get(category);
      }
      if (percentage != null) {
        percentages.put(category, percentage);
      }
    }
    if (percentages.isEmpty()) {
      return Score.none();
    }
    int overall =
        (int)
            Math.round(
                percentages.values().stream().mapToInt(Integer::intValue).average().orElse(0));
    return new Score(overall, percentages);
  }

  /** A subtest's status is its worst over all targets; 10 points unless it fails. */
  private static Integer perSubtest(List<Finding> findings) {
    Map<String, Boolean> passed = new LinkedHashMap<>();
    for (Finding finding : findings) {
      boolean ok = finding.status() != Status.FAIL;
      passed.merge(finding.check(), ok, Boolean::logicalAnd);
    }
    if (passed.isEmpty()) {
      return null;
    }
    long points = passed.values().stream().filter(ok -> ok).count() * POINTS;
    return (int) Math.round(100.0 * points / (passed.size() * POINTS));
  }

  /**
   * Per mail server: per-address subtests ({@code host/ip} targets) and the DANE subtests of its
   * host name. The category percentage is that of the weakest server.
   */
  private static Integer perServer(List<Finding> findings) {
    Map<String, List<Finding>> perAddress = new LinkedHashMap<>();
    Map<String, List<Finding>> perHost = new LinkedHashMap<>();
    for (Finding finding : findings) {
      String target = finding.target();
      int slash = target.indexOf('/');
      if (slash >= 0) {
        perAddress.computeIfAbsent(target, t -> new ArrayList<>()).add(finding);
      } else {
        perHost.computeIfAbsent(target, t -> new ArrayList<>()).add(finding);
      }
    }
    if (perAddress.isEmpty()) {
      // Hosts without a reachable address still count with their host-level subtests.
      return perHost.values().stream().map(Scorer::perSubtest).min(Integer::compare).orElse(null);
    }
    Integer weakest = null;
    for (var entry : perAddress.entrySet()) {
      String host = entry.getKey().substring(0, entry.getKey().indexOf('/'));
      List<Finding> server = new ArrayList<>(entry.getValue());
      server.addAll(perHost.getOrDefault(host, List.of()));
      Integer percentage = perSubtest(server);
      if (percentage != null && (weakest == null || percentage < weakest)) {
        weakest = percentage;
      }
    }
    return weakest;
  }
}
