package io.mxwatch.metrics;

import io.mxwatch.model.CertificateInfo;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Observation;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.store.ConclusiveFallback;
import io.mxwatch.store.ScanStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Metrics view of one domain: the latest scan with every {@code error} replaced by the last
 * conclusive result of that check and target, so that alert rules stay quiet on a blip. When the
 * scan could not learn the MX hosts or a host's addresses, the MX-level checks and addresses of the
 * latest earlier scan that knew them keep their last conclusive results (see {@link
 * ConclusiveFallback}). It also carries the age of that conclusive data, so that alerts fire when
 * it is truly stale.
 *
 * @param result the latest completed scan
 * @param statuses the worst status of each check over its targets, errors replaced
 * @param inconclusive the checks that ended in error on some target in the latest scan, or that it
 *     could not run on some of their earlier targets
 * @param lastConclusive per check, the oldest of its targets' last conclusive scan times
 * @param observations the addresses to export: those of the latest scan, then those it could not
 *     learn, as the latest earlier scan that knew them saw them
 * @param chains per {@code host/ip}, the latest chain presented, the previous one when the latest
 *     scan could not reach the address
 * @param tlsaMatch per {@code host/ip}, whether a usable TLSA record matched, from {@code
 *     dane.valid} with errors replaced; absent where DANE does not apply
 * @param dnssecBogus per target of the DNSSEC checks, whether validation returned bogus, with
 *     errors replaced; absent for targets whose findings record no validator verdict
 */
record ConclusiveView(
    ScanResult result,
    Map<String, Status> statuses,
    Set<String> inconclusive,
    Map<String, Instant> lastConclusive,
    List<Observation> observations,
    Map<String, List<CertificateInfo>> chains,
    Map<String, Boolean> tlsaMatch,
    Map<String, Boolean> dnssecBogus) {

  static ConclusiveView of(ScanResult result, ScanStore store) {
    ConclusiveFallback fallback = store.fallback(result);

    Map<String, Status> statuses = new TreeMap<>();
    Set<String> inconclusive = new HashSet<>();
    Map<String, Instant> lastConclusive = new TreeMap<>();
    Set<String> unreachable = new HashSet<>();
    Map<String, Boolean> tlsaMatch = new HashMap<>();
    Map<String, Boolean> dnssecBogus = new LinkedHashMap<>();
    for (Finding finding : result.findings()) {
      Status status = finding.status();
      if (status != Status.ERROR) {
        addVerdict(finding.check(), finding.target(), verdict(finding), dnssecBogus);
      }
      Instant seen = result.scannedAt();
      if (status == Status.ERROR) {
        inconclusive.add(finding.check());
        if (fallback.isStandIn(finding)) {
          // The carried targets of the check replace this error on the domain name.
          continue;
        }
        if (finding.check().equals(Check.SMTP_REACHABLE.id())) {
          unreachable.add(finding.target());
        }
        ScanStore.Conclusive earlier = fallback.earlier(finding).orElse(null);
        if (earlier != null) {
          status = earlier.status();
          seen = earlier.scannedAt();
          addVerdict(finding.check(), finding.target(), earlier.dnssec(), dnssecBogus);
        } else {
          seen = null;
        }
      }
      add(finding.check(), finding.target(), status, seen, statuses, lastConclusive, tlsaMatch);
    }
    fallback
        .carried()
        .forEach(
            (check, targets) -> {
              inconclusive.add(check);
              targets.forEach(
                  (target, earlier) -> {
                    add(
                        check,
                        target,
                        earlier.status(),
                        earlier.scannedAt(),
                        statuses,
                        lastConclusive,
                        tlsaMatch);
                    addVerdict(check, target, earlier.dnssec(), dnssecBogus);
                  });
            });

    Map<String, List<CertificateInfo>> chains = new HashMap<>();
    Set<String> missing = new HashSet<>();
    for (Observation observation : result.observations()) {
      if (!observation.chain().isEmpty()) {
        chains.put(observation.target(), observation.chain());
      } else if (unreachable.contains(observation.target())) {
        missing.add(observation.target());
      }
    }
    if (!missing.isEmpty()) {
      chains.putAll(store.lastCertificates(result.domain(), result.scannedAt(), missing));
    }
    List<Observation> observations = new ArrayList<>(result.observations());
    for (Observation observation : fallback.observations()) {
      observations.add(observation);
      if (!observation.chain().isEmpty()) {
        chains.put(observation.target(), observation.chain());
      }
    }
    return new ConclusiveView(
        result,
        Map.copyOf(statuses),
        Set.copyOf(inconclusive),
        Map.copyOf(lastConclusive),
        List.copyOf(observations),
        chains,
        Map.copyOf(tlsaMatch),
        dnssecBogus);
  }

  /** Returns the validator's verdict that a DNSSEC finding records under {@code details.dnssec}. */
  private static String verdict(Finding finding) {
    Object verdict = finding.details().get("dnssec");
    return verdict == null ? null : verdict.toString();
  }

  /**
   * Records whether a DNSSEC check's target is bogus. Several checks share a target, and the target
   * is bogus when any of them found it so.
   */
  private static void addVerdict(
      String check, String target, String verdict, Map<String, Boolean> dnssecBogus) {
    if (verdict == null || !check.startsWith("dnssec.")) {
      return;
    }
    boolean bogus = verdict.toLowerCase(Locale.ROOT).equals("bogus");
    dnssecBogus.merge(target, bogus, Boolean::logicalOr);
  }

  /** Adds one target's status, with the start of the scan that found it when conclusive. */
  private static void add(
      String check,
      String target,
      Status status,
      Instant seen,
      Map<String, Status> statuses,
      Map<String, Instant> lastConclusive,
      Map<String, Boolean> tlsaMatch) {
    statuses.merge(check, status, (a, b) -> a.severity() >= b.severity() ? a : b);
    if (check.equals(Check.DANE_VALID.id()) && (status == Status.PASS || status == Status.FAIL)) {
      tlsaMatch.put(target, status == Status.PASS);
    }
    if (seen != null) {
      lastConclusive.merge(check, seen, (a, b) -> a.isBefore(b) ? a : b);
    }
  }
}
