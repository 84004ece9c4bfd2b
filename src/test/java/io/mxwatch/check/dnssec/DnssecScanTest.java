package io.mxwatch.check.dnssec;

import static io.mxwatch.testworld.ScanRunner.of;
import static io.mxwatch.testworld.ScanRunner.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.testworld.DnsFault;
import io.mxwatch.testworld.DnsWorld;
import io.mxwatch.testworld.DnssecFault;
import io.mxwatch.testworld.ScanRunner;
import io.mxwatch.testworld.SmtpTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The DNSSEC findings of full scans of zones that are broken in the ways real zones break. */
class DnssecScanTest {
  @TempDir static Path dir;
  static DnsWorld world;
  static ScanRunner runner;

  static final String MAIL = "@ MX 10 mx\nmx A 127.0.0.20\n";

  @BeforeAll
  static void startWorld() {
    world = new DnsWorld().start();
    world
        .zone("secure.test.")
        .add(
            MAIL
                + "@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject\"\n"
                + "_25._tcp.mx TLSA 3 1 1 "
                + "ab".repeat(32));
    world
        .zone("expiring.test.")
        .signaturesExpireAt(Instant.now().plus(Duration.ofDays(3)))
        .add(MAIL);
    world.zone("expired.test.").fault(DnssecFault.EXPIRED_SIGNATURES).add(MAIL);
    world.zone("future.test.").fault(DnssecFault.SIGNATURES_NOT_YET_VALID).add(MAIL);
    world.zone("mismatch.test.").fault(DnssecFault.DS_MISMATCH).add(MAIL);
    world.zone("stripped.test.").fault(DnssecFault.STRIPPED_SIGNATURES).add(MAIL);
    world.zone("plain.test.").unsigned().add(MAIL);
    world.zone("nods.test.").dsDigests().add(MAIL);
    world.zone("dsa.test.").algorithm(DNSSEC.Algorithm.DSA).add(MAIL);
    world.zone("rsasha1.test.").algorithm(DNSSEC.Algorithm.RSASHA1).add(MAIL);
    world.zone("sha1ds.test.").dsDigests(DNSSEC.Digest.SHA1).add(MAIL);
    world.zone("bothds.test.").dsDigests(DNSSEC.Digest.SHA1, DNSSEC.Digest.SHA256).add(MAIL);
    world.zone("nsec3.test.").add(MAIL + "@ NSEC3PARAM 1 0 10 AABBCCDD\n");
    world.zone("nsec3zero.test.").add(MAIL + "@ NSEC3PARAM 1 0 0 -\n");
    world.zone("lame.test.").add(MAIL);
    // A secure domain whose MX host lives in a zone with problems of its own.
    world.zone("brokenmx.test.").add("@ MX 10 mx.expired.test.\n@ MX 20 mx.rsasha1.test.\n");
    world
        .zone("shortmx.test.")
        .signaturesExpireAt(Instant.now().plus(Duration.ofDays(2)))
        .add(MAIL + "_25._tcp.mx TLSA 3 1 1 " + "cd".repeat(32));
    world.zone("usesmx.test.").add("@ MX 10 mx.shortmx.test.\n");
    runner = new ScanRunner(world.dnsSettings(dir), ScanRunner.options(false));
  }

  @AfterEach
  void resetFaults() {
    world.faults(q -> DnsFault.NONE);
  }

  @AfterAll
  static void stopWorld() {
    runner.close();
    world.close();
  }

  @Test
  void secure_passesEveryDnssecCheck() {
    ScanResult result = runner.scan("secure.test");
    assertThat(result.stats().dnsQueries()).isPositive();
    assertThat(result.stats().dnsMillis()).isPositive();
    assertThat(only(result, "dnssec.domain").status()).isEqualTo(Status.PASS);
    assertThat(only(result, "dnssec.mx_zone").status()).isEqualTo(Status.PASS);
    Finding expiry = only(result, "dnssec.signature_expiry");
    assertThat(expiry.status()).isEqualTo(Status.PASS);
    assertThat((long) expiry.details().get("daysLeft")).isBetween(28L, 30L);
    Finding algorithms = only(result, "dnssec.algorithms");
    assertThat(algorithms.status()).isEqualTo(Status.PASS);
    assertThat(algorithms.summary()).contains("13 (ECDSAP256SHA256)").contains("2 (SHA-256)");
  }

  @Test
  void expiringSoon_warnsWithTheRrset() {
    Finding expiry = only(runner.scan("expiring.test"), "dnssec.signature_expiry");
    assertThat(expiry.status()).isEqualTo(Status.WARN);
    assertThat(expiry.summary()).contains("expires in 2 days");
    assertThat(expiry.summary()).contains("the RRSIG over expiring.test ");
    assertThat(expiry.advice()).contains("the zone signer of expiring.test runs");
  }

  @Test
  void expiringSoon_passesWithShorterHorizon() {
    ScanOptions options =
        new ScanOptions(false, SmtpTestServer.freePort(), Duration.ofSeconds(2), "t", 21, 7, 2, 8);
    try (ScanRunner shortHorizon = new ScanRunner(world.dnsSettings(dir), options)) {
      Finding expiry = only(shortHorizon.scan("expiring.test"), "dnssec.signature_expiry");
      assertThat(expiry.status()).isEqualTo(Status.PASS);
    }
  }

  @Test
  void tlsaOfMxExpiringSoon_warnsNamingTlsa() {
    Finding expiry = only(runner.scan("usesmx.test"), "dnssec.signature_expiry");
    assertThat(expiry.status()).isEqualTo(Status.WARN);
    assertThat(expiry.details().get("signer")).isEqualTo("shortmx.test");
    assertThat(expiry.summary()).contains("the RRSIG over _25._tcp.mx.shortmx.test TLSA");
  }

  @Test
  void expired_failsDomainAndExpiry() {
    ScanResult result = runner.scan("expired.test");
    Finding domain = only(result, "dnssec.domain");
    assertThat(domain.status()).isEqualTo(Status.FAIL);
    assertThat(domain.summary()).contains("bogus").contains("expired at");
    assertThat(domain.advice()).contains("Re-sign");
    Finding expiry = only(result, "dnssec.signature_expiry");
    assertThat(expiry.status()).isEqualTo(Status.FAIL);
    assertThat(expiry.summary()).contains("expired");
  }

  @Test
  void notYetValid_failsNamingInception() {
    Finding domain = only(runner.scan("future.test"), "dnssec.domain");
    assertThat(domain.status()).isEqualTo(Status.FAIL);
    assertThat(domain.summary()).contains("is not valid before");
    assertThat(domain.advice()).contains("clock");
  }

  @Test
  void dsMismatch_failsNamingKeyTags() {
    Finding domain = only(runner.scan("mismatch.test"), "dnssec.domain");
    assertThat(domain.status()).isEqualTo(Status.FAIL);
    assertThat(domain.summary()).contains("no DNSKEY of mismatch.test.").contains("key tags");
    assertThat(domain.advice()).contains("DS record in the parent zone");
  }

  @Test
  void strippedSignatures_failsAsMissingRrsig() {
    Finding domain = only(runner.scan("stripped.test"), "dnssec.domain");
    assertThat(domain.status()).isEqualTo(Status.FAIL);
    assertThat(domain.summary()).contains("is not signed");
    assertThat(domain.advice()).contains("RRSIG");
  }

  @Test
  void unsigned_failsInsecureAndSkipsOthers() {
    ScanResult result = runner.scan("plain.test");
    Finding domain = only(result, "dnssec.domain");
    assertThat(domain.status()).isEqualTo(Status.FAIL);
    assertThat(domain.summary()).isEqualTo("not signed with DNSSEC (insecure)");
    assertThat(only(result, "dnssec.signature_expiry").status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(only(result, "dnssec.algorithms").status()).isEqualTo(Status.NOT_APPLICABLE);
  }

  @Test
  void unsigned_expiryNotApplicableDespiteFailedLookup() throws Exception {
    Name dmarc = Name.fromString("_dmarc.plain.test.");
    world.faults(
        q ->
            q.getQuestion().getName().equals(dmarc) && q.getQuestion().getType() == Type.TXT
                ? DnsFault.SERVFAIL
                : DnsFault.NONE);
    ScanResult result = runner.scan("plain.test");

    assertThat(only(result, "auth.dmarc").status()).isEqualTo(Status.ERROR);
    Finding expiry = only(result, "dnssec.signature_expiry");
    assertThat(expiry.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(expiry.summary()).contains("not signed (insecure)");
  }

  @Test
  void domainSoaFailed_expiryIsError() throws Exception {
    Name plain = Name.fromString("plain.test.");
    world.faults(
        q ->
            q.getQuestion().getName().equals(plain) && q.getQuestion().getType() == Type.SOA
                ? DnsFault.SERVFAIL
                : DnsFault.NONE);
    Finding expiry = only(runner.scan("plain.test"), "dnssec.signature_expiry");

    assertThat(expiry.status()).isEqualTo(Status.ERROR);
    assertThat(expiry.summary()).contains("cannot tell");
  }

  @Test
  void signedWithoutDs_failsNamingMissingDs() {
    Finding domain = only(runner.scan("nods.test"), "dnssec.domain");
    assertThat(domain.status()).isEqualTo(Status.FAIL);
    assertThat(domain.summary()).contains("publishes DNSKEY records but the parent zone has no DS");
  }

  @Test
  void unsupportedAlgorithm_isInsecure() {
    ScanResult result = runner.scan("dsa.test");
    Finding domain = only(result, "dnssec.domain");
    assertThat(domain.status()).isEqualTo(Status.FAIL);
    assertThat(domain.summary()).contains("algorithm 3 (DSA)").contains("RFC 6840 §5.2");
    Finding algorithms = only(result, "dnssec.algorithms");
    assertThat(algorithms.status()).isEqualTo(Status.FAIL);
    assertThat(algorithms.summary()).contains("3 (DSA) must not be used");
  }

  @Test
  void rsaSha1_warnsAlgorithms() {
    ScanResult result = runner.scan("rsasha1.test");
    assertThat(only(result, "dnssec.domain").status()).isEqualTo(Status.PASS);
    Finding algorithms = only(result, "dnssec.algorithms");
    assertThat(algorithms.status()).isEqualTo(Status.WARN);
    assertThat(algorithms.summary()).contains("5 (RSASHA1)");
  }

  @Test
  void sha1OnlyDs_warns() {
    Finding algorithms = only(runner.scan("sha1ds.test"), "dnssec.algorithms");
    assertThat(algorithms.status()).isEqualTo(Status.WARN);
    assertThat(algorithms.summary()).contains("1 (SHA-1)");
  }

  @Test
  void sha1NextToSha256Ds_passes() {
    Finding algorithms = only(runner.scan("bothds.test"), "dnssec.algorithms");
    assertThat(algorithms.status()).isEqualTo(Status.PASS);
  }

  @Test
  void nsec3Iterations_warnsWithSaltNote() {
    Finding algorithms = only(runner.scan("nsec3.test"), "dnssec.algorithms");
    assertThat(algorithms.status()).isEqualTo(Status.WARN);
    assertThat(algorithms.summary()).contains("10 additional iterations").contains("salt");
    assertThat(algorithms.details().get("nsec3Salt")).isEqualTo("aabbccdd");
  }

  @Test
  void nsec3WithoutIterations_passes() {
    Finding algorithms = only(runner.scan("nsec3zero.test"), "dnssec.algorithms");
    assertThat(algorithms.status()).isEqualTo(Status.PASS);
    assertThat(algorithms.summary()).contains("NSEC3 with 0 iterations");
  }

  @Test
  void keyLookupsDropped_isErrorNotFail() throws Exception {
    Name lame = Name.fromString("lame.test.");
    world.faults(
        q ->
            q.getQuestion().getName().equals(lame)
                    && (q.getQuestion().getType() == Type.DNSKEY
                        || q.getQuestion().getType() == Type.DS)
                ? DnsFault.DROP
                : DnsFault.NONE);
    Finding domain = only(runner.scan("lame.test"), "dnssec.domain");
    assertThat(domain.status()).isEqualTo(Status.ERROR);
    assertThat(domain.summary()).contains("lame.test.");
  }

  @Test
  void keyLookupsServfail_isErrorNotFail() throws Exception {
    Name lame = Name.fromString("lame.test.");
    world.faults(
        q ->
            q.getQuestion().getName().equals(lame) && q.getQuestion().getType() == Type.DNSKEY
                ? DnsFault.SERVFAIL
                : DnsFault.NONE);
    Finding domain = only(runner.scan("lame.test"), "dnssec.domain");
    assertThat(domain.status()).isEqualTo(Status.ERROR);
    assertThat(domain.summary()).contains("DNSKEY lookup for lame.test. failed");
  }

  @Test
  void mxZones_gradedPerHost() {
    ScanResult result = runner.scan("brokenmx.test");
    assertThat(only(result, "dnssec.domain").status()).isEqualTo(Status.PASS);
    Finding expired = of(result, "dnssec.mx_zone", "mx.expired.test");
    assertThat(expired.status()).isEqualTo(Status.FAIL);
    assertThat(expired.summary()).contains("expired at");
    assertThat(of(result, "dnssec.mx_zone", "mx.rsasha1.test").status()).isEqualTo(Status.PASS);
    assertThat(of(result, "dnssec.algorithms", "mx.rsasha1.test").status()).isEqualTo(Status.WARN);
    assertThat(of(result, "dnssec.algorithms", "brokenmx.test").status()).isEqualTo(Status.PASS);
  }
}
