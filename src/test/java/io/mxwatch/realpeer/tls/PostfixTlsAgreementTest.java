package io.mxwatch.realpeer.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.cert.CertChecks;
import io.mxwatch.check.cert.TrustStore;
import io.mxwatch.check.tls.PostureSource;
import io.mxwatch.check.tls.TlsChecks;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.realpeer.PostfixInstance;
import io.mxwatch.realpeer.RealPeers;
import io.mxwatch.scan.DomainSettings;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.smtp.StartTlsProber;
import io.mxwatch.tls.CipherSuites;
import io.mxwatch.tls.FakeDns;
import io.mxwatch.tls.Probes;
import io.mxwatch.tls.SignatureScheme;
import io.mxwatch.tls.TestPki;
import io.mxwatch.tls.TlsPosture;
import io.mxwatch.tls.TlsVersion;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Postfix as the MX, testssl.sh and OpenSSL as judges: mxwatch's versions, suites and
 * SHA-1 key-exchange signature results must agree with theirs on every listener.
 */
@Tag("real-peer")
class PostfixTlsAgreementTest {
  static final String INSTALL = "src/test/resources/realpeer/install-tls-peers.sh";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path work;

  static final List<PostfixInstance> INSTANCES = new ArrayList<>();
  static PostfixInstance hardened;
  static PostfixInstance weak;
  static PostfixInstance plain;
  static PostfixInstance incomplete;
  static TestPki.Chain ecChain;

  @BeforeAll
  static void startPostfix() throws Exception {
    RealPeers.requireRoot();
    RealPeers.requireProgram("/usr/sbin/postfix", INSTALL);
    RealPeers.requireProgram(Testssl.PROGRAM, INSTALL);
    RealPeers.requireProgram("/usr/bin/openssl", INSTALL);

    // Hardened as a careful admin does: TLS 1.2 and 1.3, "high" suites without anonymous,
    // CAMELLIA, SHA-1 MAC and CCM_8 suites, server order, an EC P-256 key and no SHA-1 in the
    // signature algorithms.
    ecChain = TestPki.chain("mx-hardened.test", TestPki.ec("secp256r1"), "SHA256withRSA", 300);
    hardened =
        started(
            PostfixInstance.builder("mx-hardened", "127.0.0.21")
                .certificate(ecChain.leaf().key(), ecChain.sent())
                .parameter("smtpd_tls_protocols", ">=TLSv1.2")
                .parameter("smtpd_tls_mandatory_protocols", ">=TLSv1.2")
                .parameter("smtpd_tls_ciphers", "high")
                .parameter("smtpd_tls_mandatory_ciphers", "high")
                .parameter("smtpd_tls_exclude_ciphers", "aNULL, CAMELLIA, SHA1, AESCCM8")
                .parameter("tls_preempt_cipherlist", "yes")
                .openssl(
                    "SignatureAlgorithms = ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:"
                        + "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:"
                        + "RSA+SHA256:RSA+SHA384:RSA+SHA512"));

    // Weak: TLS 1.0 on, an RSA 2048 key, SHA-1 signature algorithms allowed, OpenSSL's
    // security level lowered so that it actually offers them.
    TestPki.Chain rsaChain = TestPki.chain("mx-weak.test", TestPki.rsa(2048), "SHA256withRSA", 300);
    weak =
        started(
            PostfixInstance.builder("mx-weak", "127.0.0.22")
                .certificate(rsaChain.leaf().key(), rsaChain.sent())
                .parameter("smtpd_tls_protocols", ">=TLSv1")
                .parameter("smtpd_tls_mandatory_protocols", ">=TLSv1")
                .openssl("MinProtocol = TLSv1")
                .openssl("CipherString = DEFAULT:@SECLEVEL=0")
                .openssl("SignatureAlgorithms = RSA+SHA1:RSA+SHA256:RSA+SHA384:RSA+SHA512"));

    plain =
        started(
            PostfixInstance.builder("mx-plain", "127.0.0.23")
                .parameter("smtpd_tls_security_level", "none"));

    TestPki.Chain leafOnly =
        TestPki.chain("mx-incomplete.test", TestPki.ec("secp256r1"), "SHA256withRSA", 300);
    incomplete =
        started(
            PostfixInstance.builder("mx-incomplete", "127.0.0.24")
                .certificate(leafOnly.leaf().key(), List.of(leafOnly.leaf().certificate()))
                .parameter("smtpd_tls_protocols", ">=TLSv1.2"));
  }

  private static PostfixInstance started(PostfixInstance.Builder builder) throws Exception {
    PostfixInstance instance = builder.start(work);
    INSTANCES.add(instance);
    return instance;
  }

  @AfterAll
  static void stopPostfix() throws Exception {
    for (PostfixInstance instance : INSTANCES) {
      instance.close();
    }
  }

  @Test
  void agreement_withTestsslAndOpenssl() throws Exception {
    List<String> rows = new ArrayList<>();
    List<String> disagreements = new ArrayList<>();
    for (PostfixInstance instance : List.of(hardened, weak)) {
      TlsPosture posture =
          Probes.handshakeProber()
              .probe(instance.name() + ".test", InetAddress.getByName(instance.address()), 25);
      assertThat(posture.failure()).as(instance.name()).isNull();
      Testssl.Result judge = Testssl.run(instance.address(), 25, work);

      compare(
          rows,
          disagreements,
          instance,
          "versions",
          names(posture.acceptedVersions()),
          names(judge.versions()));
      TlsVersion legacy = posture.cipherVersion();
      Set<Integer> mine =
          posture.suites().stream()
              .map(TlsPosture.AcceptedSuite::code)
              .collect(Collectors.toCollection(TreeSet::new));
      compare(
          rows,
          disagreements,
          instance,
          "suites " + (legacy == null ? "-" : legacy.label()),
          suiteNames(mine),
          suiteNames(judge.suites().getOrDefault(legacy, Set.of())));
      compare(
          rows,
          disagreements,
          instance,
          "suites TLSv1.3",
          suiteNames(new TreeSet<>(posture.tls13Suites())),
          suiteNames(judge.suites().getOrDefault(TlsVersion.TLS_1_3, Set.of())));
      boolean sha1 =
          posture.sigalgs().sha1Scheme() != null
              && "SHA-1".equals(SignatureScheme.hash(posture.sigalgs().sha1Scheme()));
      compare(
          rows,
          disagreements,
          instance,
          "SHA-1 key-exchange signature",
          String.valueOf(sha1),
          String.valueOf(OpensslSigalgs.acceptsSha1(instance.address(), 25)));
    }
    System.err.println(table(rows));

    assertThat(disagreements).as(table(rows)).isEmpty();
  }

  @Test
  void verdicts_throughScanContext() throws Exception {
    Map<String, Status> strong = statuses(hardened);
    assertThat(strong)
        .containsEntry("tls.versions", Status.PASS)
        .containsEntry("tls.sigalgs", Status.PASS)
        // OpenSSL's "high" list ranks the phase-out AES-256-CBC-SHA384 suite above the
        // sufficient AES-128-GCM one, and NCSC requires sufficient suites first.
        .containsEntry("tls.cipher_order", Status.FAIL)
        .containsEntry("tls.ciphers", Status.WARN)
        .containsEntry("tls.extended_master_secret", Status.PASS)
        .containsEntry("tls.secure_renegotiation", Status.PASS)
        .containsEntry("tls.compression", Status.PASS)
        .containsEntry("cert.pubkey", Status.WARN) // the RSA 2048 intermediate
        .containsEntry("cert.signature", Status.PASS);

    Map<String, Status> poor = statuses(weak);
    assertThat(poor)
        .containsEntry("tls.versions", Status.FAIL)
        .containsEntry("tls.ciphers", Status.FAIL)
        .containsEntry("tls.sigalgs", Status.FAIL)
        .containsEntry("cert.pubkey", Status.WARN);

    Map<String, Finding> none = findings(plain);
    assertThat(none.values())
        .allSatisfy(f -> assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE));

    Finding trust = findings(incomplete).get("cert.trust");
    assertThat(trust.details()).containsEntry("missing_intermediate", true);
  }

  private static Map<String, Status> statuses(PostfixInstance instance) throws Exception {
    return findings(instance).values().stream()
        .collect(Collectors.toMap(Finding::check, Finding::status));
  }

  private static Map<String, Finding> findings(PostfixInstance instance) throws Exception {
    String host = instance.name() + ".test";
    FakeDns dns = new FakeDns().mx("example.test", host, InetAddress.getByName(instance.address()));
    ScanOptions options =
        ScanOptions.defaults()
            .withAllowPrivate(true)
            .withSmtpPort(25)
            .withSmtpTimeout(Duration.ofSeconds(15))
            .withProbePolicy(Probes.fastPolicy());
    DomainName domain = DomainName.parse("example.test");
    ScanContext context =
        new ScanContext(
            domain.name(),
            domain.unicode(),
            dns,
            options,
            DomainSettings.none(),
            Clock.systemUTC(),
            new StartTlsProber(options.smtpTimeout(), "scanner.test"),
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()));
    PostureSource source = new PostureSource(o -> Probes.handshakeProber());
    List<Finding> all = new ArrayList<>(new TlsChecks(source).run(context));
    all.addAll(
        new CertChecks(source, TrustStore.of(List.of(ecChain.root().certificate()))).run(context));
    return all.stream().collect(Collectors.toMap(Finding::check, f -> f));
  }

  private static void compare(
      List<String> rows,
      List<String> disagreements,
      PostfixInstance instance,
      String aspect,
      String mxwatch,
      String judge) {
    boolean agree = mxwatch.equals(judge);
    String row =
        String.format(
            "%-14s %-30s %-5s mxwatch=[%s] judge=[%s]",
            instance.name(), aspect, agree ? "agree" : "DIFF", mxwatch, judge);
    rows.add(row);
    if (!agree) {
      disagreements.add(row);
    }
  }

  private static String names(Set<TlsVersion> versions) {
    return versions.stream().sorted().map(TlsVersion::label).collect(Collectors.joining(" "));
  }

  private static String suiteNames(Set<Integer> codes) {
    return codes.stream().sorted().map(CipherSuites::name).collect(Collectors.joining(" "));
  }

  private static String table(List<String> rows) {
    return "mxwatch vs testssl.sh (versions, suites) and openssl s_client (SHA-1)\n"
        + String.join("\n", rows);
  }
}
