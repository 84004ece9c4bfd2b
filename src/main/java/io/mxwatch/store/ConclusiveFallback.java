package io.mxwatch.store;

import io.mxwatch.model.Finding;
import io.mxwatch.model.Observation;
import io.mxwatch.store.ScanStore.CheckTarget;
import io.mxwatch.store.ScanStore.Conclusive;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The last conclusive results that stand in for what a scan could not tell: the metrics, the API
 * and the scorecard show them beside, or instead of, the scan's errors.
 *
 * <p>An {@code error} on a target the earlier scans also had takes that target's last conclusive
 * result ({@link #exact}). When the scan did not learn the MX hosts (the MX lookup failed) or an MX
 * host's addresses (its address lookups failed), the MX-level checks have no finding on those hosts
 * and addresses at all, or one {@code error} on the domain name in their place ({@link #standIns}).
 * Their last conclusive results are then carried over ({@link #carried}) for the targets of the
 * latest earlier scan that knew them, so that a host a conclusive scan no longer listed is not
 * carried.
 *
 * @param exact the last conclusive result of each check and target of the checks that ended in
 *     error; look them up by the error finding's check and target
 * @param carried per check, the last conclusive result of each carried target, by target
 * @param standIns the error findings, by check and target, that the carried targets replace
 * @param observations the carried MX addresses, each with the chain it last presented
 */
public record ConclusiveFallback(
    Map<CheckTarget, Conclusive> exact,
    Map<String, Map<String, Conclusive>> carried,
    Set<CheckTarget> standIns,
    List<Observation> observations) {

  public static final ConclusiveFallback NONE =
      new ConclusiveFallback(Map.of(), Map.of(), Set.of(), List.of());

  public ConclusiveFallback {
    exact = Map.copyOf(exact);
    carried = Map.copyOf(carried);
    standIns = Set.copyOf(standIns);
    observations = List.copyOf(observations);
  }

  /** True when the carried targets of its check replace this finding. */
  public boolean isStandIn(Finding finding) {
    return standIns.contains(new CheckTarget(finding.check(), finding.target()));
  }

  /** The last conclusive result of an error finding's own check and target. */
  public Optional<Conclusive> earlier(Finding finding) {
    return Optional.ofNullable(exact.get(new CheckTarget(finding.check(), finding.target())));
  }

  /**
   * The carried results that replace a stand-in finding, worst first then by target; empty for
   * other findings.
   */
  public List<Carried> carriedFor(Finding finding) {
    if (!isStandIn(finding)) {
      return List.of();
    }
    return carriedOf(finding.check());
  }

  /**
   * Returns the checks with carried results that the scan reported nothing for, not even an error.
   * With the MX hosts unknown, the TLS and certificate checks have no finding at all.
   */
  public Set<String> unreported(List<Finding> findings) {
    Set<String> reported = new java.util.HashSet<>();
    findings.forEach(f -> reported.add(f.check()));
    Set<String> unreported = new java.util.TreeSet<>(carried.keySet());
    unreported.removeAll(reported);
    return unreported;
  }

  /** Returns the carried results of a check, worst first then by target. */
  public List<Carried> carriedOf(String check) {
    return carried.getOrDefault(check, Map.of()).entrySet().stream()
        .map(e -> new Carried(e.getKey(), e.getValue()))
        .sorted(
            Comparator.comparingInt((Carried c) -> -c.result().status().severity())
                .thenComparing(Carried::target))
        .toList();
  }

  /**
   * A carried target with its last conclusive result.
   *
   * @param target the MX host or {@code host/ip}
   * @param result its last conclusive result
   */
  public record Carried(String target, Conclusive result) {}
}
