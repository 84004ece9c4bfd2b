package io.mxwatch.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Category;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Score;
import io.mxwatch.model.Status;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScorerTest {
  private static final String DOMAIN = "example.org";
  private static final String SERVER = "mx1.example.org/192.0.2.25";

  private static Finding finding(String check, Status status, String target) {
    return new Finding(check, status, target, check, Map.of(), null);
  }

  @Test
  void score_failingSubtestCostsTenPoints() {
    Score score =
        Scorer.score(
            List.of(
                finding("dnssec.domain", Status.PASS, DOMAIN),
                finding("dnssec.mx_zone", Status.FAIL, "mx1.example.org")));
    assertThat(score.categories()).containsEntry(Category.DNSSEC, 50);
    assertThat(score.overall()).isEqualTo(50);
  }

  @Test
  void score_warningKeepsFullPoints() {
    Score score = Scorer.score(List.of(finding("tls.ciphers", Status.WARN, SERVER)));
    assertThat(score.categories()).containsEntry(Category.TLS, 100);
  }

  @Test
  void score_weakestServerSetsTlsPercentage() {
    Score score =
        Scorer.score(
            List.of(
                finding("tls.versions", Status.PASS, SERVER),
                finding("tls.ciphers", Status.PASS, SERVER),
                finding("tls.versions", Status.FAIL, "mx2.example.org/192.0.2.26"),
                finding("tls.ciphers", Status.PASS, "mx2.example.org/192.0.2.26")));
    assertThat(score.categories()).containsEntry(Category.TLS, 50);
  }

  @Test
  void score_unscoredChecksNeverCount() {
    Score score =
        Scorer.score(
            List.of(
                finding("dnssec.domain", Status.PASS, DOMAIN),
                finding("dnssec.signature_expiry", Status.FAIL, DOMAIN),
                finding("cert.expiry", Status.FAIL, SERVER)));
    assertThat(score.overall()).isEqualTo(100);
    assertThat(score.categories()).doesNotContainKey(Category.TLS);
  }

  @Test
  void score_errorWithoutHistoryIsLeftOut() {
    Score score =
        Scorer.score(
            List.of(
                finding("dnssec.domain", Status.PASS, DOMAIN),
                finding("dnssec.mx_zone", Status.ERROR, "mx1.example.org")));
    assertThat(score.categories()).containsEntry(Category.DNSSEC, 100);
  }

  @Test
  void score_errorTakesLastConclusiveStatus() {
    Score score =
        Scorer.score(
            List.of(
                finding("dnssec.domain", Status.PASS, DOMAIN),
                finding("dnssec.mx_zone", Status.ERROR, "mx1.example.org")),
            (check, target) -> Optional.of(Status.FAIL));
    assertThat(score.categories()).containsEntry(Category.DNSSEC, 50);
  }

  @Test
  void score_unprobedServersDropTlsCategory() {
    // Only the host-level DANE finding is conclusive: no server was probed.
    Score score =
        Scorer.score(
            List.of(
                finding("dane.exists", Status.PASS, "mx1.example.org"),
                finding("tls.starttls", Status.ERROR, SERVER),
                finding("tls.versions", Status.ERROR, SERVER),
                finding("dnssec.domain", Status.PASS, DOMAIN)));
    assertThat(score.categories()).doesNotContainKey(Category.TLS);
    assertThat(score.overall()).isEqualTo(100);
  }

  @Test
  void score_failedMxLookupKeepsPreviousCategory() {
    // The MX lookup failed, so the per-server checks report errors at the domain.
    Score score =
        Scorer.score(
            List.of(
                finding("dnssec.domain", Status.PASS, DOMAIN),
                finding("tls.starttls", Status.ERROR, DOMAIN),
                finding("dane.exists", Status.ERROR, DOMAIN)),
            (check, target) -> Optional.empty(),
            Map.of(Category.TLS, 40, Category.DNSSEC, 100));
    assertThat(score.categories()).containsEntry(Category.TLS, 40);
    assertThat(score.overall()).isEqualTo(70);
  }

  @Test
  void score_previousCategoryUnusedWhenConclusive() {
    Score score =
        Scorer.score(
            List.of(finding("dnssec.domain", Status.FAIL, DOMAIN)),
            (check, target) -> Optional.empty(),
            Map.of(Category.DNSSEC, 100));
    assertThat(score.categories()).containsEntry(Category.DNSSEC, 0);
  }

  @Test
  void score_hostWithUnknownAddressesKeepsPreviousTls() {
    List<Finding> findings =
        List.of(
            finding("mx.targets", Status.PASS, "mx1.example.org"),
            finding("mx.targets", Status.ERROR, "mx2.example.org"),
            finding("tls.starttls", Status.PASS, "mx1.example.org/192.0.2.1"),
            finding("tls.versions", Status.PASS, "mx1.example.org/192.0.2.1"));

    Score score =
        Scorer.score(
            findings, (check, target) -> Optional.of(Status.PASS), Map.of(Category.TLS, 60));

    assertThat(score.categories()).containsEntry(Category.TLS, 60);
  }

  @Test
  void score_allAddressesKnownScoresTlsAfresh() {
    List<Finding> findings =
        List.of(
            finding("mx.targets", Status.PASS, "mx1.example.org"),
            finding("tls.starttls", Status.PASS, "mx1.example.org/192.0.2.1"),
            finding("tls.versions", Status.PASS, "mx1.example.org/192.0.2.1"));

    Score score =
        Scorer.score(
            findings, (check, target) -> Optional.of(Status.PASS), Map.of(Category.TLS, 60));

    assertThat(score.categories()).containsEntry(Category.TLS, 100);
  }
}
