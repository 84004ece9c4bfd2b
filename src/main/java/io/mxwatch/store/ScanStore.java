package io.mxwatch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxwatch.model.Category;
import io.mxwatch.model.CertificateInfo;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.MxHost;
import io.mxwatch.model.Observation;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.ScanStats;
import io.mxwatch.model.Score;
import io.mxwatch.model.Status;
import io.mxwatch.net.Addresses;
import io.mxwatch.scan.Scorer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Scan results: written one scan per transaction, read back as {@link ScanResult}s, summaries and
 * history.
 */
@ApplicationScoped
public class ScanStore {
  private static final TypeReference<List<MxHost>> MX_HOSTS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Integer>> CATEGORIES = new TypeReference<>() {};

  @Inject EntityManager entityManager;
  @Inject ObjectMapper mapper;
  @Inject Event<ScanSaved> saved;

  // TODO: add a retention setting; every scan is kept forever now.

  /** Stores a result without touching the domain's schedule. */
  @Transactional
  public Optional<StoredScan> save(ScanResult result) {
    return save(result, null);
  }

  /** Stores a result, then makes the domain due again after {@code rescanAfter}. */
  @Transactional
  public Optional<StoredScan> save(ScanResult result, Duration rescanAfter, String leaseOwner) {
    return save(result, new ScanSlot(null, rescanAfter, leaseOwner));
  }

  /**
   * Stores a result in one transaction. Its score is recomputed so that an {@code error} finding
   * takes the last conclusive status of its check and target instead of lowering the score, and
   * every conclusive change against that history is recorded as a {@link ChangeEvent}.
   *
   * @param slot the schedule slot of the scan, or null outside the scheduler
   * @return the stored scan; the scan already stored for the same slot when this one is a re-run;
   *     empty when the domain was deleted meanwhile
   */
  @Transactional
  public Optional<StoredScan> save(ScanResult result, ScanSlot slot) {
    // FOR UPDATE serializes the saves of one domain, so the slot check below cannot race.
    Optional<DomainEntity> domain = lockDomain(result.domain(), LockModeType.PESSIMISTIC_WRITE);
    if (domain.isEmpty()) {
      return Optional.empty();
    }
    long domainId = domain.get().id;
    if (slot != null && slot.dueAt() != null) {
      Optional<ScanEntity> earlier = completedForSlot(domainId, slot.dueAt());
      if (earlier.isPresent()) {
        releaseLease(domainId, slot.leaseOwner());
        return Optional.of(new StoredScan(earlier.get().id, toResult(earlier.get())));
      }
    }

    Map<CheckTarget, Conclusive> history =
        lastConclusive(domainId, result.scannedAt(), checkIds(result));
    Score score =
        Scorer.score(
            result.findings(),
            (check, target) ->
                Optional.ofNullable(history.get(new CheckTarget(check, target)))
                    .map(Conclusive::status),
            previousCategories(domainId, result.scannedAt()));
    ScanResult rescored =
        new ScanResult(
            result.domain(),
            result.unicodeDomain(),
            result.scannedAt(),
            result.duration(),
            score,
            result.mxHosts(),
            result.findings(),
            result.observations(),
            result.stats());

    ScanEntity scan = newScan(domain.get(), rescored);
    scan.dueAt = slot == null ? null : slot.dueAt();
    scan.persist();
    List<ChangeEvent> changes = recordChanges(domainId, scan.id, rescored, history);
    if (slot != null && slot.rescanAfter() != null) {
      reschedule(domainId, slot.rescanAfter(), slot.leaseOwner());
    }
    StoredScan stored = new StoredScan(scan.id, rescored);
    saved.fire(new ScanSaved(stored, changes));
    return Optional.of(stored);
  }

  /** The category percentages of the last completed scan that started before {@code before}. */
  private Map<Category, Integer> previousCategories(long domainId, Instant before) {
    return entityManager
        .createQuery(
            "select s from ScanEntity s where s.domain.id = :domain and s.status = :completed"
                + " and s.startedAt < :before order by s.startedAt desc",
            ScanEntity.class)
        .setParameter("domain", domainId)
        .setParameter("completed", ScanEntity.COMPLETED)
        .setParameter("before", before)
        .setMaxResults(1)
        .getResultStream()
        .findFirst()
        .map(scan -> categories(scan.categoryScores))
        .orElse(Map.of());
  }

  private Optional<ScanEntity> completedForSlot(long domainId, Instant dueAt) {
    return entityManager
        .createQuery(
            "select s from ScanEntity s where s.domain.id = :domain and s.dueAt = :due"
                + " and s.status = :completed",
            ScanEntity.class)
        .setParameter("domain", domainId)
        .setParameter("due", dueAt)
        .setParameter("completed", ScanEntity.COMPLETED)
        .getResultStream()
        .findFirst();
  }

  private static Set<String> checkIds(ScanResult result) {
    Set<String> ids = new TreeSet<>();
    result.findings().forEach(f -> ids.add(f.check()));
    return ids;
  }

  /** Compares each conclusive finding with the last conclusive one of its check and target. */
  private List<ChangeEvent> recordChanges(
      long domainId, long scanId, ScanResult result, Map<CheckTarget, Conclusive> history) {
    List<ChangeEvent> changes = new ArrayList<>();
    for (Finding finding : result.findings()) {
      if (finding.status() == Status.ERROR) {
        continue;
      }
      Conclusive before = history.get(new CheckTarget(finding.check(), finding.target()));
      if (before == null
          || ChangeEvent.rank(before.status()) == ChangeEvent.rank(finding.status())) {
        continue;
      }
      // A check that starts or stops applying (STARTTLS turned on or off, TLSA records added) is
      // not a change of its own: the check that caused it records the change.
      if (before.status() == Status.NOT_APPLICABLE || finding.status() == Status.NOT_APPLICABLE) {
        continue;
      }
      ChangeEvent change =
          new ChangeEvent(
              result.domain(),
              scanId,
              result.scannedAt(),
              ChangeEvent.rank(finding.status()) > ChangeEvent.rank(before.status()),
              finding.check(),
              finding.target(),
              before.status(),
              finding.status(),
              finding.summary());
      entityManager
          .createNativeQuery(
              "insert into events (domain_id, scan_id, occurred_at, kind, check_id, target,"
                  + " from_status, to_status, summary) values (:domain, :scan, :at, :kind,"
                  + " :check, :target, :from, :to, :summary)")
          .setParameter("domain", domainId)
          .setParameter("scan", scanId)
          .setParameter("at", change.occurredAt())
          .setParameter("kind", change.regression() ? "regression" : "improvement")
          .setParameter("check", StoredText.clean(change.check()))
          .setParameter("target", StoredText.clean(change.target()))
          .setParameter("from", change.from().wireName())
          .setParameter("to", change.to().wireName())
          .setParameter("summary", StoredText.clean(change.summary()))
          .executeUpdate();
      changes.add(change);
    }
    return changes;
  }

  /** Returns the conclusive changes recorded for a domain, newest first. */
  @Transactional
  public List<ChangeEvent> events(String domainName, int limit) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select d.name, e.scan_id, e.occurred_at, e.kind, e.check_id, e.target,"
                    + " e.from_status, e.to_status, e.summary from events e"
                    + " join domains d on d.id = e.domain_id where d.name = :name"
                    + " order by e.occurred_at desc, e.id desc limit :limit")
            .setParameter("name", domainName)
            .setParameter("limit", limit)
            .getResultList();
    List<ChangeEvent> events = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      events.add(
          new ChangeEvent(
              (String) row[0],
              ((Number) row[1]).longValue(),
              SqlValues.instant(row[2]),
              "regression".equals(row[3]),
              (String) row[4],
              (String) row[5],
              Status.fromWireName((String) row[6]),
              Status.fromWireName((String) row[7]),
              (String) row[8]));
    }
    return events;
  }

  /** Counts the regressions recorded across the fleet. */
  @Transactional
  public long regressionCount() {
    return ((Number)
            entityManager
                .createNativeQuery("select count(*) from events where kind = 'regression'")
                .getSingleResult())
        .longValue();
  }

  /**
   * Records that mxwatch failed to scan a domain, so that history shows the gap and why.
   *
   * @return false when the domain was deleted meanwhile
   */
  @Transactional
  public boolean saveFailure(
      String domainName,
      Instant startedAt,
      Duration duration,
      String error,
      Duration retryAfter,
      String leaseOwner) {
    Optional<DomainEntity> domain = lockDomain(domainName);
    if (domain.isEmpty()) {
      return false;
    }
    ScanEntity scan = new ScanEntity();
    scan.domain = domain.get();
    scan.startedAt = startedAt;
    scan.finishedAt = startedAt.plus(duration);
    scan.durationMs = duration.toMillis();
    scan.status = ScanEntity.FAILED;
    scan.error = StoredText.clean(error);
    scan.persist();
    reschedule(domain.get().id, retryAfter, leaseOwner);
    return true;
  }

  /** Returns the latest completed scan of a domain. */
  @Transactional
  public Optional<StoredScan> latest(String domainName) {
    return entityManager
        .createQuery(
            "select s from ScanEntity s join fetch s.domain d"
                + " where d.name = :name and s.status = :completed"
                + " order by s.startedAt desc",
            ScanEntity.class)
        .setParameter("name", domainName)
        .setParameter("completed", ScanEntity.COMPLETED)
        .setMaxResults(1)
        .getResultStream()
        .findFirst()
        .map(scan -> new StoredScan(scan.id, toResult(scan)));
  }

  /** Returns a completed scan by id. */
  @Transactional
  public Optional<StoredScan> byId(long scanId) {
    ScanEntity scan = ScanEntity.findById(scanId);
    if (scan == null || !ScanEntity.COMPLETED.equals(scan.status)) {
      return Optional.empty();
    }
    return Optional.of(new StoredScan(scan.id, toResult(scan)));
  }

  /** Returns the scans of a domain, newest first, failed ones included. */
  @Transactional
  public List<ScanSummary> history(String domainName, int limit) {
    return entityManager
        .createQuery(
            "select s from ScanEntity s where s.domain.name = :name order by s.startedAt desc",
            ScanEntity.class)
        .setParameter("name", domainName)
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(this::toSummary)
        .toList();
  }

  /**
   * Returns the last conclusive result of each check and target on a domain in completed scans that
   * started before {@code before}.
   *
   * @param checkIds the checks to look up; empty means none
   */
  @Transactional
  public Map<CheckTarget, Conclusive> lastConclusive(
      long domainId, Instant before, Collection<String> checkIds) {
    if (checkIds.isEmpty()) {
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select distinct on (f.check_id, f.target) f.check_id, f.target, f.status,"
                    + " f.summary, s.started_at, f.details ->> 'dnssec'"
                    + " from findings f join scans s on s.id = f.scan_id"
                    + " where s.domain_id = :domain and s.status = 'completed'"
                    + " and s.started_at < :before and f.status <> 'error'"
                    + " and f.check_id in (:checks)"
                    + " order by f.check_id, f.target, s.started_at desc")
            .setParameter("domain", domainId)
            .setParameter("before", before)
            .setParameter("checks", new TreeSet<>(checkIds))
            .getResultList();
    Map<CheckTarget, Conclusive> results = new HashMap<>();
    for (Object[] row : rows) {
      // Older scans wrote IPv6 addresses in the JDK's long form, so one address can have a row in
      // each form. Both map to the canonical target, and the newer row wins.
      results.merge(
          new CheckTarget((String) row[0], Addresses.canonicalTarget((String) row[1])),
          new Conclusive(
              Status.fromWireName((String) row[2]),
              (String) row[3],
              SqlValues.instant(row[4]),
              (String) row[5]),
          (a, b) -> a.scannedAt().isAfter(b.scannedAt()) ? a : b);
    }
    return results;
  }

  /**
   * Returns, for each {@code host/ip} target, the certificate chain of the most recent completed
   * scan before {@code before} in which that address presented one.
   */
  @Transactional
  public Map<String, List<CertificateInfo>> lastCertificates(
      String domainName, Instant before, Collection<String> targets) {
    if (targets.isEmpty()) {
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select distinct on (o.host, o.ip) o.host, o.ip, o.id, s.started_at"
                    + " from observations o"
                    + " join scans s on s.id = o.scan_id join domains d on d.id = s.domain_id"
                    + " where d.name = :name and s.status = 'completed' and s.started_at < :before"
                    + " and exists (select 1 from certificates c where c.observation_id = o.id)"
                    + " order by o.host, o.ip, s.started_at desc")
            .setParameter("name", domainName)
            .setParameter("before", before)
            .getResultList();
    // Older scans wrote IPv6 addresses in the JDK's long form, so the newest row of either form
    // wins.
    Map<String, Object[]> newest = new HashMap<>();
    for (Object[] row : rows) {
      String target = Addresses.canonicalTarget(row[0] + "/" + row[1]);
      if (targets.contains(target)) {
        newest.merge(
            target,
            row,
            (a, b) -> SqlValues.instant(a[3]).isAfter(SqlValues.instant(b[3])) ? a : b);
      }
    }
    Map<String, List<CertificateInfo>> chains = new HashMap<>();
    for (Map.Entry<String, Object[]> entry : newest.entrySet()) {
      ObservationEntity observation =
          entityManager.find(ObservationEntity.class, ((Number) entry.getValue()[2]).longValue());
      chains.put(entry.getKey(), certificatesOf(observation));
    }
    return chains;
  }

  /**
   * Returns the last conclusive results that stand in for the errors of {@code result}, and for the
   * MX hosts and addresses it could not learn; see {@link ConclusiveFallback}.
   */
  @Transactional
  public ConclusiveFallback fallback(ScanResult result) {
    Optional<DomainEntity> domain = lockDomain(result.domain(), LockModeType.NONE);
    if (domain.isEmpty()) {
      return ConclusiveFallback.NONE;
    }
    long domainId = domain.get().id;
    Instant before = result.scannedAt();

    Map<String, Set<String>> current = new HashMap<>();
    Map<String, Boolean> allErrors = new HashMap<>();
    Set<String> errored = new TreeSet<>();
    Map<String, Instant> unresolvedHosts = new LinkedHashMap<>();
    for (Finding finding : result.findings()) {
      current
          .computeIfAbsent(finding.check(), c -> new TreeSet<>())
          .add(Addresses.canonicalTarget(finding.target()));
      boolean error = finding.status() == Status.ERROR;
      allErrors.merge(finding.check(), error, Boolean::logicalAnd);
      if (error) {
        errored.add(finding.check());
        if (finding.check().equals(Check.MX_TARGETS.id())) {
          unresolvedHosts.put(finding.target(), before);
        }
      }
    }
    boolean mxUnknown = errored.contains(Check.MX_PRESENT.id());
    Set<String> currentAddresses = new HashSet<>();
    result.observations().forEach(o -> currentAddresses.add(Addresses.canonicalTarget(o.target())));

    // The targets and addresses of the latest earlier scans that knew the MX hosts, or a host's
    // addresses, which the latest scan has no conclusive finding on.
    Map<String, Set<String>> carriedTargets = new TreeMap<>();
    Map<String, Observation> carriedObservations = new TreeMap<>();
    Set<String> chainUnknown = new TreeSet<>();
    if (mxUnknown) {
      Optional<ScanResult> reference = referenceScan(domainId, Check.MX_PRESENT.id(), null, before);
      if (reference.isPresent()) {
        ScanResult known = reference.get();
        carry(
            known,
            target -> !target.equals(result.domain()),
            check -> isMxLevel(check) && allErrors.getOrDefault(check, true),
            current,
            currentAddresses,
            carriedTargets,
            carriedObservations,
            chainUnknown);
        // Hosts whose addresses that scan could not learn: from the scan before that knew them.
        for (Finding finding : known.findings()) {
          if (finding.check().equals(Check.MX_TARGETS.id()) && finding.status() == Status.ERROR) {
            unresolvedHosts.putIfAbsent(finding.target(), known.scannedAt());
          }
        }
      }
    }
    for (Map.Entry<String, Instant> host : unresolvedHosts.entrySet()) {
      String prefix = host.getKey() + "/";
      referenceScan(domainId, Check.MX_TARGETS.id(), host.getKey(), host.getValue())
          .ifPresent(
              known ->
                  carry(
                      known,
                      target -> target.startsWith(prefix),
                      check ->
                          isMxLevel(check)
                              && (!mxUnknown || allErrors.getOrDefault(check, true))
                              && current.getOrDefault(check, Set.of()).stream()
                                  .noneMatch(t -> t.startsWith(prefix)),
                      current,
                      currentAddresses,
                      carriedTargets,
                      carriedObservations,
                      chainUnknown));
    }

    Set<String> lookup = new TreeSet<>(errored);
    lookup.addAll(carriedTargets.keySet());
    Map<CheckTarget, Conclusive> history = lastConclusive(domainId, before, lookup);

    Map<String, Map<String, Conclusive>> carried = new TreeMap<>();
    carriedTargets.forEach(
        (check, targets) -> {
          for (String target : targets) {
            Conclusive conclusive = history.get(new CheckTarget(check, target));
            if (conclusive != null) {
              carried.computeIfAbsent(check, c -> new TreeMap<>()).put(target, conclusive);
            }
          }
        });
    // With the MX hosts unknown, the MX-level checks report one error on the domain name, which
    // the carried targets replace.
    Set<CheckTarget> standIns = new HashSet<>();
    if (mxUnknown) {
      for (Finding finding : result.findings()) {
        if (finding.status() == Status.ERROR
            && finding.target().equals(result.domain())
            && carried.containsKey(finding.check())) {
          standIns.add(new CheckTarget(finding.check(), finding.target()));
        }
      }
    }

    Map<String, List<CertificateInfo>> lastChains =
        lastCertificates(result.domain(), before, chainUnknown);
    List<Observation> observations = new ArrayList<>();
    carriedObservations.forEach(
        (target, observation) ->
            observations.add(
                new Observation(
                    observation.host(),
                    target.substring(observation.host().length() + 1),
                    observation.tlsProtocol(),
                    observation.chain().isEmpty()
                        ? lastChains.getOrDefault(target, List.of())
                        : observation.chain(),
                    observation.tlsaRecords(),
                    observation.tlsaMatch())));
    Map<CheckTarget, Conclusive> exact = new HashMap<>();
    history.forEach(
        (key, conclusive) -> {
          if (errored.contains(key.check())) {
            exact.put(key, conclusive);
          }
        });
    return new ConclusiveFallback(exact, carried, standIns, observations);
  }

  /**
   * Adds the targets and addresses of {@code known} within a scope that the latest scan lacks.
   *
   * @param inScope the targets of the scope: every MX host and address, or those of one host
   * @param carries the checks whose targets are carried
   */
  private static void carry(
      ScanResult known,
      Predicate<String> inScope,
      Predicate<String> carries,
      Map<String, Set<String>> current,
      Set<String> currentAddresses,
      Map<String, Set<String>> carriedTargets,
      Map<String, Observation> carriedObservations,
      Set<String> chainUnknown) {
    Map<String, Status> reachable = new HashMap<>();
    for (Finding finding : known.findings()) {
      String target = Addresses.canonicalTarget(finding.target());
      if (finding.check().equals(Check.SMTP_REACHABLE.id())) {
        reachable.put(target, finding.status());
      }
      if (inScope.test(target)
          && carries.test(finding.check())
          && !current.getOrDefault(finding.check(), Set.of()).contains(target)) {
        carriedTargets.computeIfAbsent(finding.check(), c -> new TreeSet<>()).add(target);
      }
    }
    for (Observation observation : known.observations()) {
      String target = Addresses.canonicalTarget(observation.target());
      if (!inScope.test(target) || currentAddresses.contains(target)) {
        continue;
      }
      carriedObservations.putIfAbsent(target, observation);
      // An address that scan could not reach keeps the chain it presented before, as in the
      // latest scan's own view.
      Status reached = reachable.get(target);
      if (observation.chain().isEmpty() && (reached == null || reached == Status.ERROR)) {
        chainUnknown.add(target);
      }
    }
  }

  /**
   * The latest completed scan before {@code before} in which {@code check} (on {@code target}, when
   * not null) had a conclusive result: the latest scan that knew the MX hosts, or a host's
   * addresses.
   */
  private Optional<ScanResult> referenceScan(
      long domainId, String check, String target, Instant before) {
    var query =
        entityManager
            .createQuery(
                "select s from ScanEntity s join fetch s.domain where s.domain.id = :domain"
                    + " and s.status = :completed and s.startedAt < :before and exists (select 1"
                    + " from FindingEntity f where f.scan = s and f.checkId = :check"
                    + " and f.status <> 'error'"
                    + (target == null ? "" : " and f.target = :target")
                    + ") order by s.startedAt desc",
                ScanEntity.class)
            .setParameter("domain", domainId)
            .setParameter("completed", ScanEntity.COMPLETED)
            .setParameter("before", before)
            .setParameter("check", check);
    if (target != null) {
      query.setParameter("target", target);
    }
    return query.setMaxResults(1).getResultStream().findFirst().map(this::toResult);
  }

  /**
   * The checks that run on MX hosts and addresses: a scan that cannot learn those reports them on
   * the domain name or not at all.
   */
  // NOTE: a new MX-level check must be added here by hand, or an outage drops its last results.
  static boolean isMxLevel(String check) {
    return check.startsWith("smtp.")
        || check.startsWith("tls.")
        || check.startsWith("cert.")
        || check.startsWith("dane.")
        || check.startsWith("ipv6.mx_")
        || check.startsWith("rpki.mx_")
        || check.equals(Check.DNSSEC_MX_ZONE.id())
        || check.equals(Check.MX_TARGETS.id());
  }

  /** A check id and a finding target. */
  public record CheckTarget(String check, String target) {}

  /**
   * The last conclusive result of a check on a target.
   *
   * @param status its status
   * @param summary its summary
   * @param scannedAt when the scan that found it started
   * @param dnssec the validator's verdict that a DNSSEC finding recorded in {@code details.dnssec},
   *     or null
   */
  public record Conclusive(Status status, String summary, Instant scannedAt, String dnssec) {}

  /**
   * Returns the latest scan summary per domain id: of completed scans only, or of every attempt.
   * One index probe per domain through the (domain_id, started_at desc) index.
   */
  @Transactional
  public Map<Long, ScanSummary> latestSummaries(boolean completedOnly) {
    String filter = completedOnly ? " and s.status = 'completed'" : "";
    @SuppressWarnings("unchecked")
    List<Long> ids =
        entityManager
            .createNativeQuery(
                "select l.id from domains d cross join lateral (select s.id from scans s"
                    + " where s.domain_id = d.id"
                    + filter
                    + " order by s.started_at desc limit 1) l",
                Long.class)
            .getResultList();
    if (ids.isEmpty()) {
      return Map.of();
    }
    Map<Long, ScanSummary> summaries = new HashMap<>();
    for (List<Long> chunk : chunks(ids)) {
      List<ScanEntity> scans =
          entityManager
              .createQuery("select s from ScanEntity s where s.id in :ids", ScanEntity.class)
              .setParameter("ids", chunk)
              .getResultList();
      for (ScanEntity scan : scans) {
        summaries.put(scan.domain.id, toSummary(scan));
      }
    }
    return summaries;
  }

  /** Counts the findings per status of each scan. */
  @Transactional
  public Map<Long, Map<Status, Integer>> statusCounts(Collection<Long> scanIds) {
    Map<Long, Map<Status, Integer>> counts = new HashMap<>();
    for (List<Long> chunk : chunks(scanIds)) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          entityManager
              .createNativeQuery(
                  "select scan_id, status, count(*) from findings where scan_id in (:ids)"
                      + " group by scan_id, status")
              .setParameter("ids", chunk)
              .getResultList();
      for (Object[] row : rows) {
        counts
            .computeIfAbsent(((Number) row[0]).longValue(), id -> new EnumMap<>(Status.class))
            .put(Status.fromWireName((String) row[1]), ((Number) row[2]).intValue());
      }
    }
    return counts;
  }

  /** Returns up to {@code perScan} fail, warn and error findings of each scan, worst first. */
  @Transactional
  public Map<Long, List<Finding>> worstFindings(Collection<Long> scanIds, int perScan) {
    Map<Long, List<Finding>> worst = new HashMap<>();
    for (List<Long> chunk : chunks(scanIds)) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          entityManager
              .createNativeQuery(
                  "select scan_id, check_id, status, target, summary from ("
                      + " select f.*, row_number() over (partition by scan_id order by"
                      + "  case status when 'fail' then 0 when 'warn' then 1 else 2 end,"
                      + "  position) as rank"
                      + " from findings f where scan_id in (:ids)"
                      + " and status in ('fail', 'warn', 'error')) ranked"
                      + " where rank <= :limit order by scan_id, rank")
              .setParameter("ids", chunk)
              .setParameter("limit", perScan)
              .getResultList();
      for (Object[] row : rows) {
        worst
            .computeIfAbsent(((Number) row[0]).longValue(), id -> new ArrayList<>())
            .add(
                new Finding(
                    (String) row[1],
                    Status.fromWireName((String) row[2]),
                    (String) row[3],
                    (String) row[4],
                    Map.of(),
                    null));
      }
    }
    return worst;
  }

  /** Returns the id of the latest completed scan of every domain, by domain name. */
  @Transactional
  public Map<String, Long> latestScanIds() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select d.name, l.id from domains d cross join lateral (select s.id from scans s"
                    + " where s.domain_id = d.id and s.status = 'completed'"
                    + " order by s.started_at desc limit 1) l")
            .getResultList();
    Map<String, Long> ids = new HashMap<>();
    for (Object[] row : rows) {
      ids.put((String) row[0], ((Number) row[1]).longValue());
    }
    return ids;
  }

  /** Returns the latest completed scan of every domain, for rebuilding the metrics. */
  @Transactional
  public List<ScanResult> latestResults() {
    Map<Long, ScanSummary> latest = latestSummaries(true);
    List<ScanResult> results = new ArrayList<>(latest.size());
    for (List<Long> chunk : chunks(latest.values().stream().map(ScanSummary::id).toList())) {
      entityManager
          .createQuery(
              "select s from ScanEntity s join fetch s.domain where s.id in :ids", ScanEntity.class)
          .setParameter("ids", chunk)
          .getResultList()
          .forEach(scan -> results.add(toResult(scan)));
      entityManager.clear();
    }
    return results;
  }

  private Optional<DomainEntity> lockDomain(String name) {
    // FOR SHARE keeps the domain from being deleted while its scan is written.
    return lockDomain(name, LockModeType.PESSIMISTIC_READ);
  }

  private Optional<DomainEntity> lockDomain(String name, LockModeType lock) {
    return entityManager
        .createQuery("select d from DomainEntity d where d.name = :name", DomainEntity.class)
        .setParameter("name", name)
        .setLockMode(lock)
        .getResultStream()
        .findFirst();
  }

  private void releaseLease(long domainId, String leaseOwner) {
    if (leaseOwner == null) {
      return;
    }
    entityManager
        .createNativeQuery(
            "update domains set lease_owner = null, lease_until = null"
                + " where id = :id and lease_owner = :owner")
        .setParameter("id", domainId)
        .setParameter("owner", leaseOwner)
        .executeUpdate();
  }

  private void reschedule(long domainId, Duration after, String leaseOwner) {
    // Scheduling uses the database clock so that instances with skewed clocks agree.
    entityManager
        .createNativeQuery(
            "update domains set next_scan_at = now() + make_interval(secs => :seconds),"
                + " lease_owner = null, lease_until = null"
                + " where id = :id and (lease_owner is null or lease_owner = :owner)")
        .setParameter("seconds", after.toMillis() / 1000.0)
        .setParameter("id", domainId)
        .setParameter("owner", leaseOwner)
        .executeUpdate();
  }

  private ScanEntity newScan(DomainEntity domain, ScanResult result) {
    ScanEntity scan = new ScanEntity();
    scan.domain = domain;
    scan.startedAt = result.scannedAt();
    scan.finishedAt = result.scannedAt().plus(result.duration());
    scan.durationMs = result.duration().toMillis();
    scan.status = ScanEntity.COMPLETED;
    scan.score = result.score().overall();
    scan.categoryScores = StoredText.json(mapper, categoryKeys(result.score()));
    scan.worstStatus = result.worstStatus().wireName();
    scan.mxHosts = StoredText.json(mapper, result.mxHosts());
    scan.dnsQueries = result.stats().dnsQueries();
    scan.dnsMs = result.stats().dnsMillis();
    scan.smtpConnections = result.stats().smtpConnections();
    scan.retries = result.stats().retries();

    int position = 0;
    for (Finding finding : result.findings()) {
      FindingEntity entity = new FindingEntity();
      entity.scan = scan;
      entity.position = position++;
      entity.checkId = StoredText.clean(finding.check());
      entity.status = finding.status().wireName();
      entity.target = StoredText.clean(finding.target());
      entity.summary = StoredText.clean(finding.summary());
      entity.details = StoredText.json(mapper, finding.details());
      entity.advice = StoredText.clean(finding.advice());
      scan.findings.add(entity);
    }
    for (Observation observation : result.observations()) {
      scan.observations.add(newObservation(scan, observation));
    }
    return scan;
  }

  private static ObservationEntity newObservation(ScanEntity scan, Observation observation) {
    ObservationEntity entity = new ObservationEntity();
    entity.scan = scan;
    entity.host = StoredText.clean(observation.host());
    entity.ip = StoredText.clean(observation.address());
    entity.tlsProtocol = StoredText.clean(observation.tlsProtocol());
    entity.tlsaRecords = StoredText.clean(observation.tlsaRecords());
    entity.tlsaMatch = observation.tlsaMatch();
    for (CertificateInfo info : observation.chain()) {
      CertificateEntity certificate = new CertificateEntity();
      certificate.observation = entity;
      certificate.depth = info.depth();
      certificate.sha256 = info.sha256();
      certificate.spkiSha256 = info.spkiSha256();
      certificate.subject = StoredText.clean(info.subject());
      certificate.issuer = StoredText.clean(info.issuer());
      certificate.notBefore = info.notBefore();
      certificate.notAfter = info.notAfter();
      certificate.keyAlgorithm = StoredText.clean(info.keyAlgorithm());
      certificate.signatureAlgorithm = StoredText.clean(info.signatureAlgorithm());
      entity.certificates.add(certificate);
    }
    return entity;
  }

  private static Map<String, Integer> categoryKeys(Score score) {
    Map<String, Integer> keys = new LinkedHashMap<>();
    for (Category category : Category.values()) {
      Integer percentage = score.categories().get(category);
      if (percentage != null) {
        keys.put(category.key(), percentage);
      }
    }
    return keys;
  }

  private ScanResult toResult(ScanEntity scan) {
    List<Finding> findings = new ArrayList<>(scan.findings.size());
    for (FindingEntity entity : scan.findings) {
      findings.add(
          new Finding(
              entity.checkId,
              Status.fromWireName(entity.status),
              entity.target,
              entity.summary,
              read(entity.details, DETAILS),
              entity.advice));
    }
    List<Observation> observations = new ArrayList<>(scan.observations.size());
    for (ObservationEntity entity : scan.observations) {
      List<CertificateInfo> chain = certificatesOf(entity);
      observations.add(
          new Observation(
              entity.host,
              entity.ip,
              entity.tlsProtocol,
              chain,
              List.of(entity.tlsaRecords),
              entity.tlsaMatch));
    }
    return new ScanResult(
        scan.domain.name,
        scan.domain.unicodeName,
        scan.startedAt,
        Duration.ofMillis(scan.durationMs),
        new Score(scan.score, categories(scan.categoryScores)),
        read(scan.mxHosts, MX_HOSTS),
        findings,
        observations,
        new ScanStats(scan.dnsQueries, scan.dnsMs, scan.smtpConnections, scan.retries));
  }

  private static List<CertificateInfo> certificatesOf(ObservationEntity entity) {
    return entity.certificates.stream()
        .map(
            c ->
                new CertificateInfo(
                    c.depth,
                    c.subject,
                    c.issuer,
                    c.sha256,
                    c.spkiSha256,
                    c.notBefore,
                    c.notAfter,
                    c.keyAlgorithm,
                    c.signatureAlgorithm))
        .toList();
  }

  private ScanSummary toSummary(ScanEntity scan) {
    return new ScanSummary(
        scan.id,
        scan.startedAt,
        scan.finishedAt,
        scan.durationMs,
        scan.status,
        scan.error,
        scan.score,
        read(scan.categoryScores, CATEGORIES),
        scan.worstStatus == null ? null : Status.fromWireName(scan.worstStatus),
        scan.dnsQueries,
        scan.smtpConnections);
  }

  private Map<Category, Integer> categories(String json) {
    Map<Category, Integer> categories = new EnumMap<>(Category.class);
    Map<String, Integer> byKey = read(json, CATEGORIES);
    for (Category category : Category.values()) {
      Integer percentage = byKey.get(category.key());
      if (percentage != null) {
        categories.put(category, percentage);
      }
    }
    return categories;
  }

  private <T> T read(String json, TypeReference<T> type) {
    try {
      // Stored rows may carry fields that a later or earlier version wrote: read past them.
      return mapper
          .readerFor(type)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  /** Splits ids into lists small enough for one IN list each. */
  private static List<List<Long>> chunks(Collection<Long> ids) {
    List<Long> all = List.copyOf(ids);
    List<List<Long>> chunks = new ArrayList<>();
    for (int start = 0; start < all.size(); start += 1000) {
      chunks.add(all.subList(start, Math.min(all.size(), start + 1000)));
    }
    return chunks;
  }
}
