package io.mxwatch.store;

import static io.mxwatch.testsupport.Fixtures.HOSTILE;
import static io.mxwatch.testsupport.Fixtures.finding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Category;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Observation;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.testsupport.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScanStoreTest {
  private static final String NUL_SYMBOL = "\u2400";

  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject EntityManager entityManager;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private String newDomain(String prefix) {
    return Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName(prefix)).name();
  }

  @Test
  void save_roundTripsEveryField() {
    String domain = newDomain("roundtrip");
    ScanResult original = Fixtures.richResult(domain, now);

    StoredScan stored = scans.save(original).orElseThrow();
    ScanResult read = scans.latest(domain).orElseThrow().result();

    assertThat(stored.id()).isPositive();
    assertThat(read.domain()).isEqualTo(domain);
    assertThat(read.scannedAt()).isEqualTo(original.scannedAt());
    assertThat(read.duration()).isEqualTo(original.duration());
    assertThat(read.score()).isEqualTo(original.score());
    assertThat(read.mxHosts()).isEqualTo(original.mxHosts());
    assertThat(read.stats()).isEqualTo(original.stats());
    assertThat(read.findings())
        .extracting(Finding::check)
        .containsExactly("dnssec.domain", "auth.spf", "tls.starttls", "dane.valid");
    assertThat(read.findings())
        .extracting(Finding::status)
        .containsExactly(Status.PASS, Status.FAIL, Status.ERROR, Status.PASS);
    assertThat(read.observations())
        .isEqualTo(original.observations().stream().map(ScanStoreTest::withoutNul).toList());
  }

  @Test
  void save_keepsHostileTextWithNulReplaced() {
    String domain = newDomain("hostile");
    scans.save(Fixtures.richResult(domain, now));

    Finding spf = scans.latest(domain).orElseThrow().result().findings().get(1);

    String expected = HOSTILE.replace("\u0000", NUL_SYMBOL);
    assertThat(spf.summary()).isEqualTo("SPF says " + expected);
    assertThat(spf.advice()).isEqualTo("fix " + expected);
    assertThat(spf.details()).containsEntry("record", expected);
    assertThat(spf.details()).containsEntry(expected, "hostile key");
    assertThat(spf.details()).containsKey("nothing");
    assertThat(spf.details().get("nested"))
        .isEqualTo(Map.of("list", List.of(1, "two" + NUL_SYMBOL, expected)));
  }

  @Test
  void history_keepsEveryScanNewestFirst() {
    String domain = newDomain("history");
    ScanResult first =
        Fixtures.result(
            domain, now.minusSeconds(60), List.of(finding("auth.spf", Status.FAIL, domain)));
    ScanResult second =
        Fixtures.result(domain, now, List.of(finding("auth.spf", Status.PASS, domain)));
    long firstId = scans.save(first).orElseThrow().id();
    long secondId = scans.save(second).orElseThrow().id();

    List<ScanSummary> history = scans.history(domain, 10);

    assertThat(history).extracting(ScanSummary::id).containsExactly(secondId, firstId);
    assertThat(history).extracting(ScanSummary::score).containsExactly(100, 0);
    assertThat(history.get(0).categories()).containsEntry("auth", 100);
    assertThat(history.get(0).worstStatus()).isEqualTo(Status.PASS);
    assertThat(scans.latest(domain).orElseThrow().id()).isEqualTo(secondId);
    assertThat(scans.history(domain, 1)).hasSize(1);
  }

  @Test
  void save_errorTakesLastConclusiveStatusInScore() {
    String domain = newDomain("rescore");
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(120),
            List.of(
                finding("dnssec.domain", Status.PASS, domain),
                finding("auth.spf", Status.FAIL, domain))));
    ScanResult timedOut =
        Fixtures.result(
            domain,
            now,
            List.of(
                finding("dnssec.domain", Status.ERROR, domain),
                finding("auth.spf", Status.FAIL, domain)));
    // Alone, the timeout leaves DNSSEC out and the score is that of SPF only.
    assertThat(timedOut.score().overall()).isZero();

    StoredScan stored = scans.save(timedOut).orElseThrow();

    assertThat(stored.result().score().overall()).isEqualTo(50);
    assertThat(stored.result().score().categories()).containsEntry(Category.DNSSEC, 100);
    assertThat(scans.latest(domain).orElseThrow().result().score().overall()).isEqualTo(50);
  }

  @Test
  void lastConclusive_skipsErrorsAndLaterScans() {
    String domain = newDomain("conclusive");
    long domainId = domains.find(domain).orElseThrow().id();
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(300),
            List.of(
                finding("dnssec.domain", Status.FAIL, domain),
                finding("tls.starttls", Status.PASS, "mx1/192.0.2.25"))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(200),
            List.of(
                finding("dnssec.domain", Status.PASS, domain),
                finding("tls.starttls", Status.ERROR, "mx1/192.0.2.25"))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(100),
            List.of(finding("dnssec.domain", Status.ERROR, domain))));
    scans.save(
        Fixtures.result(
            domain, now.plusSeconds(100), List.of(finding("dnssec.domain", Status.FAIL, domain))));

    Map<ScanStore.CheckTarget, ScanStore.Conclusive> results =
        scans.lastConclusive(domainId, now, Set.of("dnssec.domain", "tls.starttls"));

    assertThat(results).hasSize(2);
    ScanStore.Conclusive dnssec = results.get(new ScanStore.CheckTarget("dnssec.domain", domain));
    assertThat(dnssec.status()).isEqualTo(Status.PASS);
    assertThat(dnssec.scannedAt()).isEqualTo(now.minusSeconds(200));
    ScanStore.Conclusive starttls =
        results.get(new ScanStore.CheckTarget("tls.starttls", "mx1/192.0.2.25"));
    assertThat(starttls.status()).isEqualTo(Status.PASS);
    assertThat(starttls.scannedAt()).isEqualTo(now.minusSeconds(300));
  }

  @Test
  void lastConclusive_matchesIpv6StoredInLongForm() {
    String domain = newDomain("ipv6form");
    long domainId = domains.find(domain).orElseThrow().id();
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(300),
            List.of(finding("tls.starttls", Status.FAIL, "mx1/2001:db8:0:0:0:0:0:25"))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(200),
            List.of(finding("tls.starttls", Status.PASS, "mx1/2001:db8:0:0:0:0:0:25"))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(100),
            List.of(finding("tls.starttls", Status.WARN, "mx1/2001:db8::26"))));

    Map<ScanStore.CheckTarget, ScanStore.Conclusive> results =
        scans.lastConclusive(domainId, now, Set.of("tls.starttls"));

    ScanStore.Conclusive starttls =
        results.get(new ScanStore.CheckTarget("tls.starttls", "mx1/2001:db8::25"));
    assertThat(starttls).isNotNull();
    assertThat(starttls.status()).isEqualTo(Status.PASS);
    assertThat(starttls.scannedAt()).isEqualTo(now.minusSeconds(200));
    assertThat(results).containsKey(new ScanStore.CheckTarget("tls.starttls", "mx1/2001:db8::26"));
  }

  @Test
  void save_regressionFromLongFormIpv6History() {
    String domain = newDomain("ipv6event");
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(200),
            List.of(finding("tls.starttls", Status.PASS, "mx1/2001:db8:0:0:0:0:0:25"))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(100),
            List.of(finding("tls.starttls", Status.FAIL, "mx1/2001:db8::25"))));

    List<ChangeEvent> events = scans.events(domain, 10);

    assertThat(events).hasSize(1);
    assertThat(events.get(0).regression()).isTrue();
    assertThat(events.get(0).target()).isEqualTo("mx1/2001:db8::25");
  }

  @Test
  void save_returnsEmptyForUnknownDomain() {
    ScanResult orphan = Fixtures.result(Fixtures.uniqueName("gone"), now, List.of());
    assertThat(scans.save(orphan)).isEmpty();
  }

  @Test
  void remove_deletesHistory() {
    String domain = newDomain("removed");
    long scanId = scans.save(Fixtures.richResult(domain, now)).orElseThrow().id();

    assertThat(domains.remove(domain)).isTrue();

    assertThat(domains.find(domain)).isEmpty();
    assertThat(scans.latest(domain)).isEmpty();
    Number orphans =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    (Number)
                        entityManager
                            .createNativeQuery("select count(*) from findings where scan_id = :id")
                            .setParameter("id", scanId)
                            .getSingleResult());
    assertThat(orphans.intValue()).isZero();
    assertThat(domains.remove(domain)).isFalse();
  }

  @Test
  void add_rejectsDuplicateInEitherForm() {
    String domain = Fixtures.uniqueName("bücher");
    domains.add(DomainName.parse(domain), List.of(), List.of());
    String ascii = DomainName.parse(domain).ascii();

    assertThatThrownBy(() -> domains.add(DomainName.parse(ascii), List.of(), List.of()))
        .isInstanceOf(DuplicateDomainException.class)
        .hasMessageContaining(ascii);
    assertThat(domains.find(ascii).orElseThrow().unicodeName()).isEqualTo(domain);
  }

  @Test
  void saveFailure_recordsFailedAttemptWithoutHidingLatest() {
    String domain = newDomain("failed");
    long completed =
        scans.save(Fixtures.result(domain, now.minusSeconds(10), List.of())).orElseThrow().id();

    scans.saveFailure(domain, now, Duration.ofMillis(5), "boom\u0000", Duration.ofHours(1), null);

    List<ScanSummary> history = scans.history(domain, 10);
    assertThat(history.get(0).status()).isEqualTo("failed");
    assertThat(history.get(0).error()).isEqualTo("boom" + NUL_SYMBOL);
    assertThat(history.get(0).score()).isNull();
    assertThat(scans.latest(domain).orElseThrow().id()).isEqualTo(completed);
  }

  private static Observation withoutNul(Observation observation) {
    return new Observation(
        observation.host(),
        observation.address(),
        observation.tlsProtocol(),
        observation.chain().stream()
            .map(
                c ->
                    new io.mxwatch.model.CertificateInfo(
                        c.depth(),
                        c.subject().replace("\u0000", NUL_SYMBOL),
                        c.issuer(),
                        c.sha256(),
                        c.spkiSha256(),
                        c.notBefore(),
                        c.notAfter(),
                        c.keyAlgorithm(),
                        c.signatureAlgorithm()))
            .toList(),
        observation.tlsaRecords(),
        observation.tlsaMatch());
  }

  @Test
  void save_storesOneResultPerSlot() {
    String domain = newDomain("slot");
    Instant due = now.minusSeconds(60);
    var first =
        scans.save(
            Fixtures.result(domain, now, List.of(finding("dnssec.domain", Status.PASS, domain))),
            new ScanSlot(due, Duration.ofHours(24), null));
    var rerun =
        scans.save(
            Fixtures.result(
                domain,
                now.plusSeconds(30),
                List.of(finding("dnssec.domain", Status.FAIL, domain))),
            new ScanSlot(due, Duration.ofHours(24), null));

    assertThat(rerun).isPresent();
    assertThat(rerun.get().id()).isEqualTo(first.orElseThrow().id());
    assertThat(scans.history(domain, 10)).hasSize(1);
    assertThat(scans.events(domain, 10)).isEmpty();
  }

  @Test
  void save_recordsRegressionsAndImprovements() {
    String domain = newDomain("events");
    String mx = "mx1/192.0.2.25";
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(300),
            List.of(
                finding("dnssec.domain", Status.PASS, domain),
                finding("tls.starttls", Status.FAIL, mx))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(200),
            List.of(
                finding("dnssec.domain", Status.ERROR, domain),
                finding("tls.starttls", Status.ERROR, mx))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(100),
            List.of(
                finding("dnssec.domain", Status.FAIL, domain),
                finding("tls.starttls", Status.PASS, mx))));

    List<ChangeEvent> events = scans.events(domain, 10);

    assertThat(events).hasSize(2);
    ChangeEvent regression =
        events.stream().filter(ChangeEvent::regression).findFirst().orElseThrow();
    assertThat(regression.check()).isEqualTo("dnssec.domain");
    assertThat(regression.from()).isEqualTo(Status.PASS);
    assertThat(regression.to()).isEqualTo(Status.FAIL);
    ChangeEvent improvement =
        events.stream().filter(e -> !e.regression()).findFirst().orElseThrow();
    assertThat(improvement.check()).isEqualTo("tls.starttls");
    assertThat(improvement.target()).isEqualTo(mx);
  }

  @Test
  void save_checkThatStopsAndStartsApplyingRecordsNoChange() {
    String domain = newDomain("applies");
    String mx = "mx1/192.0.2.25";
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(300),
            List.of(
                finding("tls.starttls", Status.PASS, mx),
                finding("cert.expiry", Status.FAIL, mx))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(200),
            List.of(
                finding("tls.starttls", Status.FAIL, mx),
                finding("cert.expiry", Status.NOT_APPLICABLE, mx))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(100),
            List.of(
                finding("tls.starttls", Status.PASS, mx),
                finding("cert.expiry", Status.FAIL, mx))));

    List<ChangeEvent> events = scans.events(domain, 10);

    assertThat(events).extracting(ChangeEvent::check).containsOnly("tls.starttls");
    assertThat(events).hasSize(2);
  }

  @Test
  void save_errorsRecordNoChange() {
    String domain = newDomain("noevent");
    scans.save(
        Fixtures.result(
            domain, now.minusSeconds(200), List.of(finding("dnssec.domain", Status.PASS, domain))));
    scans.save(
        Fixtures.result(
            domain,
            now.minusSeconds(100),
            List.of(finding("dnssec.domain", Status.ERROR, domain))));
    scans.save(
        Fixtures.result(domain, now, List.of(finding("dnssec.domain", Status.PASS, domain))));

    assertThat(scans.events(domain, 10)).isEmpty();
  }

  @Test
  void save_failedMxLookupKeepsScore() {
    String domain = newDomain("mxfail");
    String mx = "mx1." + domain + "/192.0.2.25";
    int before =
        scans
            .save(
                Fixtures.result(
                    domain,
                    now.minusSeconds(100),
                    List.of(
                        finding("dnssec.domain", Status.PASS, domain),
                        finding("tls.starttls", Status.PASS, mx),
                        finding("tls.versions", Status.FAIL, mx))))
            .orElseThrow()
            .result()
            .score()
            .overall();
    // The MX lookup timed out: the per-server checks report errors at the domain.
    var after =
        scans
            .save(
                Fixtures.result(
                    domain,
                    now,
                    List.of(
                        finding("dnssec.domain", Status.PASS, domain),
                        finding("tls.starttls", Status.ERROR, domain),
                        finding("tls.versions", Status.ERROR, domain))))
            .orElseThrow()
            .result()
            .score();

    assertThat(after.overall()).isEqualTo(before);
    assertThat(after.categories()).containsEntry(Category.TLS, 50);
  }
}
