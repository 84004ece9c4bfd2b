package io.mxwatch.check.cert;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.tls.NcscLevel;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.tls.TestPki;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CertGradingTest {
  static final String TARGET = "mx.test/192.0.2.25";
  static final TestPki.Issued CA = TestPki.root("Grading Root", TestPki.rsa(2048));

  static KeyPair bcEc(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair named(String algorithm) {
    try {
      return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static TestPki.Issued leaf(KeyPair keys, String signature) {
    return TestPki.leaf(CA, "mx.test", keys, signature, 90);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void keyLevel_table(String name, KeyPair keys, NcscLevel expected) {
    assertThat(CertGrading.keyLevel(leaf(keys, "SHA256withRSA").certificate())).isEqualTo(expected);
  }

  static Stream<Arguments> keys() {
    return Stream.of(
        Arguments.of("RSA 1024", TestPki.rsa(1024), NcscLevel.INSUFFICIENT),
        Arguments.of("RSA 2048", TestPki.rsa(2048), NcscLevel.PHASE_OUT),
        Arguments.of("RSA 3072", TestPki.rsa(3072), NcscLevel.SUFFICIENT),
        Arguments.of("EC P-256", TestPki.ec("secp256r1"), NcscLevel.SUFFICIENT),
        Arguments.of("EC P-384", TestPki.ec("secp384r1"), NcscLevel.SUFFICIENT),
        Arguments.of("EC P-521", TestPki.ec("secp521r1"), NcscLevel.SUFFICIENT),
        Arguments.of("EC brainpoolP256r1", bcEc("brainpoolP256r1"), NcscLevel.SUFFICIENT),
        Arguments.of("EC secp224r1", bcEc("secp224r1"), NcscLevel.PHASE_OUT),
        Arguments.of("EC secp256k1", bcEc("secp256k1"), NcscLevel.INSUFFICIENT),
        Arguments.of("EC secp192r1", bcEc("secp192r1"), NcscLevel.INSUFFICIENT),
        Arguments.of("Ed25519", named("Ed25519"), NcscLevel.SUFFICIENT),
        Arguments.of("Ed448", named("Ed448"), NcscLevel.SUFFICIENT),
        Arguments.of("DSA 2048", named("DSA"), NcscLevel.INSUFFICIENT));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SHA256withRSA, SUFFICIENT",
    "SHA384withRSA, SUFFICIENT",
    "SHA512withRSA, SUFFICIENT",
    "SHA256withRSAandMGF1, SUFFICIENT",
    "SHA512withRSAandMGF1, SUFFICIENT",
    "SHA224withRSAandMGF1, PHASE_OUT",
    "SHA1withRSAandMGF1, INSUFFICIENT",
    "SHA224withRSA, PHASE_OUT",
    "SHA1withRSA, INSUFFICIENT",
    "MD5withRSA, INSUFFICIENT"
  })
  void signatureLevel_rsaIssuer(String algorithm, NcscLevel expected) {
    TestPki.Issued issued =
        TestPki.issue(
            null,
            "mx.test",
            TestPki.rsa(2048),
            algorithm,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(86_400),
            false,
            List.of("mx.test"));

    assertThat(CertGrading.signatureLevel(issued.certificate())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SHA256withECDSA, SUFFICIENT",
    "SHA384withECDSA, SUFFICIENT",
    "SHA224withECDSA, PHASE_OUT",
    "SHA1withECDSA, INSUFFICIENT"
  })
  void signatureLevel_ecIssuer(String algorithm, NcscLevel expected) {
    TestPki.Issued issued =
        TestPki.issue(
            null,
            "mx.test",
            TestPki.ec("secp256r1"),
            algorithm,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(86_400),
            false,
            List.of("mx.test"));

    assertThat(CertGrading.signatureLevel(issued.certificate())).isEqualTo(expected);
  }

  @Test
  void signatureLevel_ed25519() {
    TestPki.Issued issued =
        TestPki.issue(
            null,
            "mx.test",
            named("Ed25519"),
            "Ed25519",
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(86_400),
            false,
            List.of("mx.test"));

    assertThat(CertGrading.signatureLevel(issued.certificate())).isEqualTo(NcscLevel.SUFFICIENT);
  }

  @ParameterizedTest(name = "leaf expires in {0} days")
  @CsvSource({"200, PASS", "21, PASS", "20, WARN", "8, WARN", "7, WARN", "6, FAIL", "1, FAIL"})
  void expiry_thresholds(int days, Status expected) {
    Instant now = Instant.now();
    TestPki.Issued issued =
        TestPki.issue(
            CA,
            "mx.test",
            TestPki.ec("secp256r1"),
            "SHA256withRSA",
            now.minus(Duration.ofDays(30)),
            now.plus(Duration.ofDays(days)).plusSeconds(3600),
            false,
            List.of("mx.test"));

    Finding finding =
        CertGrading.expiry(TARGET, List.of(issued.certificate(), CA.certificate()), now, 21, 7);

    assertThat(finding.status()).isEqualTo(expected);
    assertThat(finding.advice() == null).isEqualTo(expected == Status.PASS);
  }

  @Test
  void expiry_oneDayIsSingular() {
    Instant now = Instant.now();
    TestPki.Issued issued =
        TestPki.issue(
            CA,
            "mx.test",
            TestPki.ec("secp256r1"),
            "SHA256withRSA",
            now.minus(Duration.ofDays(30)),
            now.plus(Duration.ofDays(1)).plusSeconds(3600),
            false,
            List.of("mx.test"));

    Finding finding = CertGrading.expiry(TARGET, List.of(issued.certificate()), now, 21, 2);

    assertThat(finding.summary()).contains(" expires in 1 day (");
    assertThat(finding.advice()).contains("less than 2 days.");
  }

  @Test
  void expiry_expiredCertificateKeepsItsObservation() {
    Instant now = Instant.now();
    TestPki.Issued expired =
        TestPki.issue(
            CA,
            "mx.test",
            TestPki.ec("secp256r1"),
            "SHA256withRSA",
            now.minus(Duration.ofDays(100)),
            now.minus(Duration.ofDays(3)),
            false,
            List.of("mx.test"));

    Finding finding = CertGrading.expiry(TARGET, List.of(expired.certificate()), now, 21, 7);

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("expired on");
    @SuppressWarnings("unchecked")
    Map<String, Object> entry =
        ((List<Map<String, Object>>) finding.details().get("certificates")).get(0);
    assertThat((long) entry.get("days_left")).isNegative();
    assertThat(entry.get("not_after"))
        .isEqualTo(expired.certificate().getNotAfter().toInstant().toString());
  }

  @Test
  void expiry_intermediateDecidesWhenItExpiresFirst() {
    Instant now = Instant.now();
    TestPki.Issued intermediate =
        TestPki.issue(
            CA,
            "Short Intermediate",
            TestPki.rsa(2048),
            "SHA256withRSA",
            now.minus(Duration.ofDays(10)),
            now.plus(Duration.ofDays(4)),
            true,
            List.of());
    TestPki.Issued leaf =
        TestPki.leaf(intermediate, "mx.test", TestPki.ec("secp256r1"), "SHA256withRSA", 90);

    Finding finding =
        CertGrading.expiry(
            TARGET, List.of(leaf.certificate(), intermediate.certificate()), now, 21, 7);

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("Short Intermediate");
  }

  @Test
  void publicKey_skipsTrustStoreRoots() {
    TestPki.Issued weakRoot = TestPki.root("Weak Root", TestPki.rsa(1024));
    TestPki.Issued leaf =
        TestPki.leaf(weakRoot, "mx.test", TestPki.ec("secp256r1"), "SHA256withRSA", 90);
    List<java.security.cert.X509Certificate> chain =
        List.of(leaf.certificate(), weakRoot.certificate());

    assertThat(
            CertGrading.publicKey(TARGET, chain, TrustStore.of(List.of(weakRoot.certificate())))
                .status())
        .isEqualTo(Status.PASS);
    assertThat(CertGrading.publicKey(TARGET, chain, TrustStore.of(List.of())).status())
        .isEqualTo(Status.FAIL);
  }

  @Test
  void signature_sha1LeafFails() {
    TestPki.Issued leaf = TestPki.leaf(CA, "mx.test", TestPki.ec("secp256r1"), "SHA1withRSA", 90);

    Finding finding =
        CertGrading.signature(TARGET, List.of(leaf.certificate()), TrustStore.of(List.of()));

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary()).contains("SHA1withRSA");
    assertThat(finding.advice()).contains("SHA-256");
  }
}
