package io.mxwatch.check.cert;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.tls.PostureSource;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.tls.BcTls;
import io.mxwatch.tls.JsseTls;
import io.mxwatch.tls.Probes;
import io.mxwatch.tls.ScanFixture;
import io.mxwatch.tls.SmtpFront;
import io.mxwatch.tls.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.junit.jupiter.api.Test;

/** The certificate module through a scan context, with chains served by in-process servers. */
class CertChecksScanTest {

  static Map<String, Finding> scan(SmtpFront.TlsBackend backend, TestPki.Chain chain)
      throws Exception {
    try (SmtpFront front = SmtpFront.start(backend)) {
      CertChecks module =
          new CertChecks(
              new PostureSource(options -> Probes.handshakeProber()),
              TrustStore.of(List.of(chain.root().certificate())));
      return module.run(ScanFixture.context(front)).stream()
          .collect(Collectors.toMap(Finding::check, f -> f));
    }
  }

  static JsseTls jsse(TestPki.Chain chain, List<X509Certificate> sent) {
    return new JsseTls(chain.leaf(), sent, List.of("TLSv1.3", "TLSv1.2"), null)
        .withNamedGroups("x25519", "secp256r1");
  }

  @Test
  void run_ecP256ChainPasses() throws Exception {
    TestPki.Chain chain =
        TestPki.chain(ScanFixture.MX, TestPki.ec("secp256r1"), "SHA256withRSA", 300);
    // An intermediate with an EC key too, so that every certificate sent is sufficient.
    TestPki.Issued intermediate =
        TestPki.issue(
            chain.root(),
            "EC Intermediate",
            TestPki.ec("secp384r1"),
            "SHA256withRSA",
            Instant.now().minus(Duration.ofDays(1)),
            Instant.now().plus(Duration.ofDays(900)),
            true,
            List.of());
    TestPki.Issued leaf =
        TestPki.leaf(intermediate, ScanFixture.MX, TestPki.ec("secp256r1"), "SHA256withECDSA", 300);
    TestPki.Chain ecChain = new TestPki.Chain(chain.root(), intermediate, leaf);

    Map<String, Finding> findings = scan(jsse(ecChain, ecChain.sent()), ecChain);

    assertThat(findings.get("cert.expiry").status()).isEqualTo(Status.PASS);
    assertThat(findings.get("cert.pubkey").status()).isEqualTo(Status.PASS);
    assertThat(findings.get("cert.signature").status()).isEqualTo(Status.PASS);
    assertThat(findings.get("cert.trust").status()).isEqualTo(Status.INFO);
    assertThat(findings.get("cert.trust").details())
        .containsEntry("trusted", true)
        .containsEntry("host_match", true);
  }

  @Test
  void run_rsa2048LeafWarns() throws Exception {
    TestPki.Chain chain = TestPki.chain(ScanFixture.MX, TestPki.rsa(2048), "SHA256withRSA", 300);

    Map<String, Finding> findings = scan(jsse(chain, chain.sent()), chain);

    assertThat(findings.get("cert.pubkey").status()).isEqualTo(Status.WARN);
    assertThat(findings.get("cert.pubkey").summary()).contains("RSA 2048");
  }

  @Test
  void run_sha1SignedLeafFails() throws Exception {
    TestPki.Chain chain = TestPki.chain(ScanFixture.MX, TestPki.rsa(2048), "SHA1withRSA", 300);
    // The JDK refuses to send a SHA-1-signed certificate, so BouncyCastle serves it.
    BcTls backend =
        BcTls.of(
            List.of(ProtocolVersion.TLSv12),
            List.of(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
            chain.leaf(),
            chain.sent());

    Map<String, Finding> findings = scan(backend, chain);

    assertThat(findings.get("cert.signature").status()).isEqualTo(Status.FAIL);
    assertThat(findings.get("cert.signature").summary()).contains("SHA1withRSA");
  }

  @Test
  void run_expiredLeafFailsAndKeepsNotAfter() throws Exception {
    TestPki.Chain valid =
        TestPki.chain(ScanFixture.MX, TestPki.ec("secp256r1"), "SHA256withRSA", 300);
    TestPki.Issued expired =
        TestPki.issue(
            valid.intermediate(),
            ScanFixture.MX,
            TestPki.ec("secp256r1"),
            "SHA256withRSA",
            Instant.now().minus(Duration.ofDays(90)),
            Instant.now().minus(Duration.ofDays(2)),
            false,
            List.of(ScanFixture.MX));
    TestPki.Chain chain = new TestPki.Chain(valid.root(), valid.intermediate(), expired);

    Map<String, Finding> findings = scan(jsse(chain, chain.sent()), chain);

    Finding expiry = findings.get("cert.expiry");
    assertThat(expiry.status()).isEqualTo(Status.FAIL);
    assertThat(expiry.summary()).contains("expired on");
    assertThat(expiry.advice()).contains("Renew");
    assertThat(findings.get("cert.trust").details()).containsEntry("trusted", false);
  }

  @Test
  void run_expiringInFiveDaysFails() throws Exception {
    TestPki.Chain chain =
        TestPki.chain(ScanFixture.MX, TestPki.ec("secp256r1"), "SHA256withRSA", 5);

    Map<String, Finding> findings = scan(jsse(chain, chain.sent()), chain);

    assertThat(findings.get("cert.expiry").status()).isEqualTo(Status.FAIL);
    assertThat(findings.get("cert.expiry").summary()).contains("expires in");
  }

  @Test
  void run_leafWithoutIntermediate() throws Exception {
    TestPki.Chain chain =
        TestPki.chain(ScanFixture.MX, TestPki.ec("secp256r1"), "SHA256withRSA", 300);

    Map<String, Finding> findings = scan(jsse(chain, List.of(chain.leaf().certificate())), chain);

    Finding trust = findings.get("cert.trust");
    assertThat(trust.status()).isEqualTo(Status.INFO);
    assertThat(trust.details()).containsEntry("missing_intermediate", true);
    assertThat(trust.advice()).contains("intermediate");
  }

  @Test
  void run_tls10OnlyServerChainFromPartialHandshake() throws Exception {
    TestPki.Chain chain = TestPki.chain(ScanFixture.MX, TestPki.rsa(2048), "SHA256withRSA", 300);
    BcTls backend =
        BcTls.of(
            List.of(ProtocolVersion.TLSv10),
            List.of(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA),
            chain.leaf(),
            chain.sent());

    Map<String, Finding> findings = scan(backend, chain);

    // The JDK refuses TLS 1.0, so the chain comes from the probe's own TLS 1.0 handshake.
    assertThat(findings.get("cert.expiry").status()).isEqualTo(Status.PASS);
    assertThat(findings.get("cert.pubkey").status()).isEqualTo(Status.WARN);
  }
}
