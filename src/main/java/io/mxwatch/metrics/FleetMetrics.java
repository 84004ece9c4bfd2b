package io.mxwatch.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.mxwatch.model.Category;
import io.mxwatch.model.CertificateInfo;
import io.mxwatch.model.Observation;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.store.ChangeEvent;
import io.mxwatch.store.DomainRemoved;
import io.mxwatch.store.ScanSaved;
import io.mxwatch.store.ScanStore;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Publishes the latest completed scan of every domain as Prometheus gauges. The gauges are built
 * from the database at startup and updated after each stored scan, so every instance that shares
 * the database exports the same values once it has seen the same scans.
 *
 * <p>Every gauge has a {@code domain} label, so the number of series grows with the fleet: that is
 * the bound, by design. The other labels come from closed sets (check ids, statuses, categories,
 * chain depth) or from the MX hosts and addresses of each domain.
 */
@Startup
@ApplicationScoped
public class FleetMetrics {
  private static final Logger LOG = Logger.getLogger(FleetMetrics.class);

  @Inject MeterRegistry registry;
  @Inject ScanStore store;

  private final Map<String, ConclusiveView> latest = new ConcurrentHashMap<>();
  private final Map<String, Long> scanIds = new ConcurrentHashMap<>();
  private MultiGauge score;
  private MultiGauge categoryScore;
  private MultiGauge lastScan;
  private MultiGauge checkStatus;
  private MultiGauge certificateNotAfter;
  private MultiGauge tlsaMatch;
  private MultiGauge dnssecBogus;
  private MultiGauge checkInconclusive;
  private MultiGauge checkLastConclusive;

  @PostConstruct
  void start() {
    score =
        MultiGauge.builder("mxwatch.domain.score")
            .description("Overall score of the domain's latest scan, 0 to 100")
            .register(registry);
    categoryScore =
        MultiGauge.builder("mxwatch.domain.category.score")
            .description("Score of one category in the domain's latest scan, 0 to 100")
            .register(registry);
    lastScan =
        MultiGauge.builder("mxwatch.domain.last.scan.timestamp")
            .description("Start of the domain's latest completed scan, Unix time")
            .baseUnit("seconds")
            .register(registry);
    checkStatus =
        MultiGauge.builder("mxwatch.check.status")
            .description(
                "1 for the worst status of a check over its targets in the domain's latest scan;"
                    + " an error is replaced by the last conclusive status of that target")
            .register(registry);
    checkInconclusive =
        MultiGauge.builder("mxwatch.check.inconclusive")
            .description("1 when the check ended in error on some target in the latest scan")
            .register(registry);
    checkLastConclusive =
        MultiGauge.builder("mxwatch.check.last.conclusive.timestamp")
            .description(
                "Start of the oldest scan whose conclusive result the check status rests on,"
                    + " Unix time; alert on its age to catch data that is truly stale")
            .baseUnit("seconds")
            .register(registry);
    certificateNotAfter =
        MultiGauge.builder("mxwatch.certificate.not.after")
            .description("End of validity of a certificate an MX address presented, Unix time")
            .baseUnit("seconds")
            .register(registry);
    tlsaMatch =
        MultiGauge.builder("mxwatch.dane.tlsa.match")
            .description("1 when a usable TLSA record matched the chain of an MX address, else 0")
            .register(registry);
    dnssecBogus =
        MultiGauge.builder("mxwatch.dnssec.bogus")
            .description("1 when DNSSEC validation of a DNSSEC check's target returned bogus")
            .register(registry);

    rebuild();
  }

  /** Replaces the published state with the latest completed scans in the database. */
  void rebuild() {
    List<ScanResult> results = store.latestResults();
    latest.clear();
    results.forEach(result -> latest.put(result.domain(), ConclusiveView.of(result, store)));
    scanIds.clear();
    scanIds.putAll(store.latestScanIds());
    publish();
    LOG.infof("Metrics rebuilt from the latest scans of %d domains", results.size());
  }

  void onScanSaved(@Observes(during = TransactionPhase.AFTER_SUCCESS) ScanSaved event) {
    ScanResult result = event.scan().result();
    scanIds.put(result.domain(), event.scan().id());
    for (ChangeEvent change : event.changes()) {
      if (change.regression()) {
        Counter.builder("mxwatch.check.regressions")
            .description("Conclusive changes of a check for the worse, stored by this instance")
            .tags("domain", change.domain(), "check", change.check())
            .register(registry)
            .increment();
      }
    }
    ConclusiveView view = ConclusiveView.of(result, store);
    latest.merge(
        result.domain(),
        view,
        (old, candidate) ->
            candidate.result().scannedAt().isBefore(old.result().scannedAt()) ? old : candidate);
    publish();
  }

  /**
   * Picks up scans that other instances sharing the database stored, and domains they removed: an
   * instance's own saves arrive as events, but other instances' do not.
   */
  @Scheduled(
      every = "${mxwatch.metrics.refresh-interval}",
      delay = 1,
      delayUnit = java.util.concurrent.TimeUnit.MINUTES,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    Map<String, Long> current;
    try {
      current = store.latestScanIds();
    } catch (RuntimeException e) {
      LOG.debugf("metrics refresh skipped: %s", e.getMessage());
      return;
    }
    boolean changed = latest.keySet().removeIf(domain -> !current.containsKey(domain));
    for (var entry : current.entrySet()) {
      if (entry.getValue().equals(scanIds.get(entry.getKey()))) {
        continue;
      }
      var stored = store.byId(entry.getValue());
      if (stored.isPresent()) {
        latest.put(entry.getKey(), ConclusiveView.of(stored.get().result(), store));
        changed = true;
      }
    }
    scanIds.keySet().retainAll(current.keySet());
    scanIds.putAll(current);
    if (changed) {
      publish();
    }
  }

  void onDomainRemoved(@Observes(during = TransactionPhase.AFTER_SUCCESS) DomainRemoved event) {
    latest.remove(event.name());
    scanIds.remove(event.name());
    publish();
  }

  /** Replaces every row of every gauge; rows of removed domains and old targets disappear. */
  private synchronized void publish() {
    List<MultiGauge.Row<?>> scores = new ArrayList<>();
    List<MultiGauge.Row<?>> categories = new ArrayList<>();
    List<MultiGauge.Row<?>> scans = new ArrayList<>();
    List<MultiGauge.Row<?>> statuses = new ArrayList<>();
    List<MultiGauge.Row<?>> certificates = new ArrayList<>();
    List<MultiGauge.Row<?>> tlsa = new ArrayList<>();
    List<MultiGauge.Row<?>> bogus = new ArrayList<>();
    List<MultiGauge.Row<?>> inconclusive = new ArrayList<>();
    List<MultiGauge.Row<?>> conclusiveAt = new ArrayList<>();

    for (ConclusiveView view : latest.values()) {
      ScanResult result = view.result();
      Tags domain = Tags.of("domain", result.domain());
      if (result.score().overall() != null) {
        scores.add(MultiGauge.Row.of(domain, result.score().overall()));
      }
      for (Map.Entry<Category, Integer> entry : result.score().categories().entrySet()) {
        categories.add(
            MultiGauge.Row.of(domain.and("category", entry.getKey().key()), entry.getValue()));
      }
      scans.add(MultiGauge.Row.of(domain, result.scannedAt().getEpochSecond()));
      for (Map.Entry<String, Status> entry : view.statuses().entrySet()) {
        Tags check = domain.and("check", entry.getKey());
        statuses.add(MultiGauge.Row.of(check.and("status", entry.getValue().wireName()), 1));
        inconclusive.add(
            MultiGauge.Row.of(check, view.inconclusive().contains(entry.getKey()) ? 1 : 0));
        Instant conclusive = view.lastConclusive().get(entry.getKey());
        if (conclusive != null) {
          conclusiveAt.add(MultiGauge.Row.of(check, conclusive.getEpochSecond()));
        }
      }
      for (Observation observation : view.observations()) {
        Tags address = domain.and("mx", observation.host(), "ip", observation.address());
        // An address the latest scan could not reach, or did not learn because a DNS lookup
        // failed, keeps its last chain, so expiry alerts still fire; see ConclusiveView.
        for (CertificateInfo certificate :
            view.chains().getOrDefault(observation.target(), List.of())) {
          certificates.add(
              MultiGauge.Row.of(
                  address.and("depth", String.valueOf(certificate.depth())),
                  certificate.notAfter().getEpochSecond()));
        }
        Boolean match = view.tlsaMatch().get(observation.target());
        if (match != null) {
          tlsa.add(MultiGauge.Row.of(address, match ? 1 : 0));
        }
      }
      view.dnssecBogus()
          .forEach(
              (target, isBogus) ->
                  bogus.add(MultiGauge.Row.of(domain.and("target", target), isBogus ? 1 : 0)));
    }

    score.register(scores, true);
    categoryScore.register(categories, true);
    lastScan.register(scans, true);
    checkStatus.register(statuses, true);
    certificateNotAfter.register(certificates, true);
    tlsaMatch.register(tlsa, true);
    dnssecBogus.register(bogus, true);
    checkInconclusive.register(inconclusive, true);
    checkLastConclusive.register(conclusiveAt, true);
  }
}
