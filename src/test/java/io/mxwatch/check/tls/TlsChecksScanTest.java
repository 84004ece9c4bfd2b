package io.mxwatch.check.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.tls.BcTls;
import io.mxwatch.tls.JsseTls;
import io.mxwatch.tls.ScanFixture;
import io.mxwatch.tls.SmtpFront;
import io.mxwatch.tls.TestPki;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.crypto.DHGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TLS module driven through a scan context against in-process servers on loopback. */
class TlsChecksScanTest {
  static TestPki.Chain ecChain;
  static TestPki.Chain rsaChain;

  @BeforeAll
  static void certificates() {
    ecChain = TestPki.chain(ScanFixture.MX, TestPki.ec("secp256r1"), "SHA256withRSA", 90);
    rsaChain = TestPki.chain(ScanFixture.MX, TestPki.rsa(2048), "SHA256withRSA", 90);
  }

  static JsseTls hardened(List<String> protocols) {
    return new JsseTls(
            ecChain.leaf(),
            ecChain.sent(),
            protocols,
            List.of(
                "TLS_AES_256_GCM_SHA384",
                "TLS_AES_128_GCM_SHA256",
                "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"))
        .withNamedGroups("x25519", "secp256r1", "secp384r1");
  }

  static Map<String, Finding> run(ScanContext context) {
    List<Finding> findings = new TlsChecks().run(context);
    return findings.stream().collect(Collectors.toMap(Finding::check, f -> f));
  }

  static Map<String, Status> statuses(Map<String, Finding> findings) {
    return findings.values().stream().collect(Collectors.toMap(Finding::check, Finding::status));
  }

  @Test
  void run_hardenedServerPasses() throws Exception {
    try (SmtpFront front = SmtpFront.start(hardened(List.of("TLSv1.3", "TLSv1.2")))) {
      Map<String, Finding> findings = run(ScanFixture.context(front));

      assertThat(statuses(findings))
          .containsEntry("tls.versions", Status.PASS)
          .containsEntry("tls.ciphers", Status.PASS)
          .containsEntry("tls.cipher_order", Status.PASS)
          .containsEntry("tls.key_exchange", Status.PASS)
          .containsEntry("tls.sigalgs", Status.PASS)
          .containsEntry("tls.compression", Status.PASS)
          .containsEntry("tls.secure_renegotiation", Status.PASS)
          .containsEntry("tls.extended_master_secret", Status.PASS)
          .containsEntry("tls.client_renegotiation", Status.INFO);
      assertThat(findings.values())
          .allSatisfy(f -> assertThat(f.target()).isEqualTo(ScanFixture.target(front)));
      assertThat(findings.get("tls.versions").details().get("connections"))
          .isEqualTo(front.connections() - 1);
    }
  }

  @Test
  void run_tls13OnlyServer() throws Exception {
    try (SmtpFront front = SmtpFront.start(hardened(List.of("TLSv1.3")))) {
      Map<String, Status> statuses = statuses(run(ScanFixture.context(front)));

      assertThat(statuses)
          .containsEntry("tls.versions", Status.PASS)
          .containsEntry("tls.ciphers", Status.PASS)
          .containsEntry("tls.cipher_order", Status.PASS)
          .containsEntry("tls.sigalgs", Status.PASS)
          .containsEntry("tls.extended_master_secret", Status.NOT_APPLICABLE)
          .containsEntry("tls.client_renegotiation", Status.NOT_APPLICABLE);
    }
  }

  @Test
  void run_weakServerFails() throws Exception {
    BcTls weak =
        BcTls.of(
                List.of(ProtocolVersion.TLSv10, ProtocolVersion.TLSv11, ProtocolVersion.TLSv12),
                List.of(
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
                    CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA),
                rsaChain.leaf(),
                rsaChain.sent())
            .withSha1Signatures(false)
            .withoutExtendedMasterSecret();
    try (SmtpFront front = SmtpFront.start(weak)) {
      Map<String, Finding> findings = run(ScanFixture.context(front));

      assertThat(statuses(findings))
          .containsEntry("tls.versions", Status.FAIL)
          .containsEntry("tls.ciphers", Status.FAIL)
          .containsEntry("tls.sigalgs", Status.FAIL)
          .containsEntry("tls.extended_master_secret", Status.FAIL)
          .containsEntry("tls.secure_renegotiation", Status.PASS);
      assertThat(findings.get("tls.versions").summary()).contains("TLSv1.1", "TLSv1");
      assertThat(findings.get("tls.ciphers").details().get("insufficient").toString())
          .contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
      assertThat(findings.get("tls.sigalgs").summary()).contains("rsa_pkcs1_sha1");
      assertThat(findings.values().stream().filter(f -> f.status() == Status.FAIL))
          .allSatisfy(f -> assertThat(f.advice()).isNotBlank());
    }
  }

  @Test
  void run_clientOrderFailsCipherOrder() throws Exception {
    BcTls clientOrder =
        BcTls.of(
                List.of(ProtocolVersion.TLSv12),
                List.of(
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256),
                rsaChain.leaf(),
                rsaChain.sent())
            .withClientOrder();
    try (SmtpFront front = SmtpFront.start(clientOrder)) {
      Map<String, Finding> findings = run(ScanFixture.context(front));

      assertThat(findings.get("tls.ciphers").status()).isEqualTo(Status.WARN);
      assertThat(findings.get("tls.cipher_order").status()).isEqualTo(Status.FAIL);
      assertThat(findings.get("tls.cipher_order").details())
          .containsEntry("chosen", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")
          .containsEntry("expected", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
          .containsEntry("preference", "client");
      assertThat(findings.get("tls.cipher_order").summary())
          .startsWith("the server follows the client's order");
      assertThat(findings.get("tls.cipher_order").advice())
          .contains("tls_preempt_cipherlist = yes");
    }
  }

  @Test
  void run_homeMadeDhGroupFailsKeyExchange() throws Exception {
    var modp = DHStandardGroups.rfc3526_2048;
    BcTls dhe =
        BcTls.of(
                List.of(ProtocolVersion.TLSv12),
                List.of(
                    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                    CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256),
                rsaChain.leaf(),
                rsaChain.sent())
            .withDhGroup(new DHGroup(modp.getP(), modp.getQ(), modp.getG(), 0));
    try (SmtpFront front = SmtpFront.start(dhe)) {
      Map<String, Finding> findings = run(ScanFixture.context(front));

      assertThat(findings.get("tls.key_exchange").status()).isEqualTo(Status.FAIL);
      assertThat(findings.get("tls.key_exchange").summary())
          .contains("DHE DH-2048 (not an RFC 7919 group)");
    }
  }

  @Test
  void run_noStarttlsIsNotApplicable() throws Exception {
    try (SmtpFront front =
        new SmtpFront(InetAddress.getLoopbackAddress(), false, hardened(List.of("TLSv1.3")))) {
      Map<String, Finding> findings = run(ScanFixture.context(front));

      assertThat(findings).hasSize(new TlsChecks().checks().size());
      assertThat(findings.values())
          .allSatisfy(
              f -> {
                assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
                assertThat(f.summary()).contains("no STARTTLS");
              });
    }
  }

  @Test
  void run_rejectedAddressIsErrorWithoutConnecting() throws Exception {
    try (SmtpFront front = SmtpFront.start(hardened(List.of("TLSv1.3")))) {
      ScanOptions options = ScanFixture.options(front).withAllowPrivate(false);
      Map<String, Finding> findings = run(ScanFixture.context(front, options));

      assertThat(findings.values())
          .allSatisfy(
              f -> {
                assertThat(f.status()).isEqualTo(Status.ERROR);
                assertThat(f.summary()).contains("loopback");
              });
      assertThat(front.connections()).isZero();
    }
  }

  @Test
  void run_busyServerIsErrorNotNoStarttls() throws Exception {
    try (SmtpFront front = SmtpFront.start(hardened(List.of("TLSv1.3")))) {
      front.busyFor(1);
      Map<String, Finding> findings = run(ScanFixture.context(front));

      assertThat(findings.get(Check.TLS_VERSIONS.id()).status()).isEqualTo(Status.ERROR);
      assertThat(findings.get(Check.TLS_VERSIONS.id()).summary()).contains("421");
    }
  }
}
