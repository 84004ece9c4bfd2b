package io.mxwatch.check.cert;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.tls.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChainTrustTest {
  static final TestPki.Chain CHAIN =
      TestPki.chain("mx1.example.org", TestPki.ec("secp256r1"), "SHA256withRSA", 90);
  static final TrustStore ROOTS = TrustStore.of(List.of(CHAIN.root().certificate()));

  @Test
  void evaluate_fullChainTrustedAndNamed() {
    Finding finding =
        ChainTrust.evaluate("t", CHAIN.sent(), "mx1.example.org", ROOTS, Instant.now());

    assertThat(finding.status()).isEqualTo(Status.INFO);
    assertThat(finding.details()).containsEntry("trusted", true).containsEntry("host_match", true);
    assertThat(finding.advice()).isNull();
  }

  @Test
  void evaluate_missingIntermediate() {
    List<X509Certificate> leafOnly = List.of(CHAIN.leaf().certificate());

    Finding finding = ChainTrust.evaluate("t", leafOnly, "mx1.example.org", ROOTS, Instant.now());

    assertThat(finding.details())
        .containsEntry("trusted", false)
        .containsEntry("missing_intermediate", true);
    assertThat(finding.summary()).contains("lacks the intermediate");
    assertThat(finding.advice()).contains("smtpd_tls_chain_files");
  }

  @Test
  void evaluate_unknownRootIsNotAMissingIntermediate() {
    // The chain ends in an intermediate whose issuer is not a JDK root: the root is unknown,
    // nothing is missing from what the server sends.
    Finding finding =
        ChainTrust.evaluate(
            "t", CHAIN.sent(), "mx1.example.org", TrustStore.jdkDefault(), Instant.now());

    assertThat(finding.details())
        .containsEntry("trusted", false)
        .containsEntry("missing_intermediate", false);
    assertThat(finding.summary())
        .contains("no chain to a public root: the chain does not lead to a trusted root");
    assertThat(finding.summary()).doesNotContain("NO_TRUST_ANCHOR").doesNotContain("Path does");
  }

  @Test
  void evaluate_expiredChainSaysSoInWords() {
    Finding finding =
        ChainTrust.evaluate(
            "t", CHAIN.sent(), "mx1.example.org", ROOTS, Instant.now().plus(Duration.ofDays(400)));

    assertThat(finding.summary())
        .contains("a certificate has expired (certificate 0 of the chain)");
  }

  @Test
  void evaluate_selfSignedIsNotAMissingIntermediate() {
    TestPki.Issued self = TestPki.root("mx1.example.org", TestPki.rsa(2048));

    Finding finding =
        ChainTrust.evaluate(
            "t", List.of(self.certificate()), "mx1.example.org", ROOTS, Instant.now());

    assertThat(finding.details())
        .containsEntry("trusted", false)
        .containsEntry("missing_intermediate", false);
  }

  @Test
  void evaluate_hostMismatch() {
    Finding finding =
        ChainTrust.evaluate("t", CHAIN.sent(), "mx2.example.org", ROOTS, Instant.now());

    assertThat(finding.details()).containsEntry("host_match", false);
    assertThat(finding.summary()).contains("does not name mx2.example.org");
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @CsvSource({
    "mx.example.org, mx.example.org, true",
    "MX.Example.ORG, mx.example.org., true",
    "*.example.org, mx.example.org, true",
    "*.example.org, a.b.example.org, false",
    "*.example.org, example.org, false",
    "*.org, example.org, false",
    "mx.example.org, mx.example.com, false",
    "xn--mnchen-3ya.example, xn--mnchen-3ya.example, true",
    "m*.example.org, mx.example.org, false"
  })
  void matches_rfc6125(String identifier, String host, boolean expected) {
    assertThat(HostnameMatch.matches(identifier, host)).isEqualTo(expected);
  }
}
