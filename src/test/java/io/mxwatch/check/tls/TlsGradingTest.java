package io.mxwatch.check.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.tls.SignatureScheme;
import io.mxwatch.tls.TlsPosture;
import io.mxwatch.tls.TlsVersion;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TlsGradingTest {
  static final String TARGET = "mx.test/192.0.2.25";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "TLS 1.3 and 1.2, TLS_1_3 TLS_1_2, PASS",
    "TLS 1.2 only, TLS_1_2, PASS",
    "TLS 1.3 only, TLS_1_3, PASS",
    "TLS 1.1 too, TLS_1_3 TLS_1_2 TLS_1_1, FAIL",
    "TLS 1.0 too, TLS_1_2 TLS_1_0, FAIL",
    "SSL 3 too, TLS_1_2 SSL_3_0, FAIL",
    "SSL 2 too, TLS_1_2 SSL_2_0, FAIL",
    "only TLS 1.0, TLS_1_0, FAIL"
  })
  void versions_table(String name, String accepted, Status expected) {
    Postures postures = new Postures();
    for (TlsVersion version : TlsVersion.values()) {
      postures.accept(version, List.of(accepted.split(" ")).contains(version.name()));
    }

    Finding finding = TlsGrading.versions(TARGET, postures.build(), true);

    assertThat(finding.status()).isEqualTo(expected);
    assertThat(finding.target()).isEqualTo(TARGET);
    assertThat(finding.advice() == null).isEqualTo(expected == Status.PASS);
  }

  @Test
  void versions_noneAcceptedAfterFailedHandshakeFails() {
    Postures postures =
        new Postures().accept(TlsVersion.TLS_1_2, false).accept(TlsVersion.TLS_1_3, false);

    assertThat(TlsGrading.versions(TARGET, postures.build(), false).status())
        .isEqualTo(Status.FAIL);
    assertThat(TlsGrading.versions(TARGET, postures.build(), true).status())
        .isEqualTo(Status.ERROR);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cipherCases")
  void ciphers_table(String name, List<Integer> suites, List<Integer> tls13, Status expected) {
    Postures postures = new Postures();
    postures.suites = suites.stream().map(Postures::suite).toList();
    postures.tls13Suites = tls13;

    assertThat(TlsGrading.ciphers(TARGET, postures.build()).status()).isEqualTo(expected);
  }

  static Stream<Arguments> cipherCases() {
    return Stream.of(
        Arguments.of("sufficient and good", List.of(0xC02F, 0xC030), List.of(0x1302), Status.PASS),
        Arguments.of("phase-out CBC-SHA256", List.of(0xC02F, 0xC027), List.of(), Status.WARN),
        Arguments.of("insufficient CBC-SHA1", List.of(0xC02F, 0xC013), List.of(), Status.FAIL),
        Arguments.of("3DES beside phase-out", List.of(0xC027, 0x000A), List.of(), Status.FAIL),
        Arguments.of("TLS 1.3 CCM_8", List.of(0xC02F), List.of(0x1301, 0x1305), Status.FAIL),
        Arguments.of("TLS 1.3 only", List.of(), List.of(0x1301, 0x1302, 0x1303), Status.PASS),
        Arguments.of("nothing found", List.of(), List.of(), Status.ERROR));
  }

  @Test
  void ciphers_listsOffendingSuites() {
    Postures postures = new Postures();
    postures.suites =
        List.of(Postures.suite(0xC02F), Postures.suite(0x000A), Postures.suite(0xC027));

    Finding finding = TlsGrading.ciphers(TARGET, postures.build());

    assertThat(finding.details().get("insufficient"))
        .isEqualTo(List.of("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
    assertThat(finding.details().get("phase_out"))
        .isEqualTo(List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"));
    assertThat(finding.advice()).contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    assertThat(finding.summary()).startsWith("1 insufficient suite accepted, such as ");
  }

  @Test
  void ciphers_suiteOnlyInOlderVersionCounts() {
    Postures postures = new Postures().accept(TlsVersion.TLS_1_0, true);
    postures.olderSuites.put(TlsVersion.TLS_1_0, List.of(0x0005));

    Finding finding = TlsGrading.ciphers(TARGET, postures.build());

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.details().get("insufficient"))
        .isEqualTo(List.of("TLS_RSA_WITH_RC4_128_SHA"));
    assertThat(finding.details().get("older_versions_only"))
        .isEqualTo(java.util.Map.of("TLSv1", List.of("TLS_RSA_WITH_RC4_128_SHA")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orderCases")
  void cipherOrder_table(String name, Postures postures, Status expected) {
    assertThat(TlsGrading.cipherOrder(TARGET, postures.build()).status()).isEqualTo(expected);
  }

  static Stream<Arguments> orderCases() {
    Postures violated = new Postures();
    violated.order =
        new TlsPosture.CipherOrder(true, 0xC027, 0xC02F, null, TlsPosture.Preference.CLIENT, null);
    Postures enforced = new Postures();
    enforced.order =
        new TlsPosture.CipherOrder(true, null, null, null, TlsPosture.Preference.SERVER, 0xC02F);
    Postures refused = new Postures();
    refused.order =
        new TlsPosture.CipherOrder(
            false,
            null,
            null,
            "order probe refused: alert",
            TlsPosture.Preference.NOT_TESTED,
            null);
    Postures oneSuite = new Postures();
    oneSuite.suites = new ArrayList<>(List.of(Postures.suite(0xC02F)));
    return Stream.of(
        Arguments.of("client order with phase-out", violated, Status.FAIL),
        Arguments.of("server order", enforced, Status.PASS),
        Arguments.of("no phase-out suites", new Postures(), Status.PASS),
        Arguments.of("one suite", oneSuite, Status.PASS),
        Arguments.of("TLS 1.3 only", new Postures().tls13Only(), Status.PASS),
        Arguments.of("order probe refused", refused, Status.ERROR));
  }

  @Test
  void cipherOrder_clientOrderNamesPostfixFix() {
    Postures postures = new Postures();
    postures.suites = new ArrayList<>(List.of(Postures.suite(0xC02F), Postures.suite(0xC027)));
    postures.order =
        new TlsPosture.CipherOrder(true, 0xC027, 0xC02F, null, TlsPosture.Preference.CLIENT, null);

    Finding finding = TlsGrading.cipherOrder(TARGET, postures.build());

    assertThat(finding.summary())
        .isEqualTo(
            "the server follows the client's order, so a client that lists phase-out"
                + " TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 first gets it instead of sufficient"
                + " TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(finding.advice()).contains("tls_preempt_cipherlist = yes");
    assertThat(finding.details()).containsEntry("preference", "client");
  }

  @Test
  void cipherOrder_serverOrderRankingPhaseOutFirst() {
    Postures postures = new Postures();
    postures.suites = new ArrayList<>(List.of(Postures.suite(0xC027), Postures.suite(0xC02F)));
    postures.order =
        new TlsPosture.CipherOrder(
            true, 0xC027, 0xC02F, null, TlsPosture.Preference.SERVER, 0xC027);

    Finding finding = TlsGrading.cipherOrder(TARGET, postures.build());

    assertThat(finding.status()).isEqualTo(Status.FAIL);
    assertThat(finding.summary())
        .startsWith("the server enforces its own cipher order, but it chose phase-out");
    assertThat(finding.advice()).contains("tls_high_cipherlist");
  }

  @Test
  void cipherOrder_clientOrderWithoutPhaseOutPasses() {
    Postures postures = new Postures();
    postures.order =
        new TlsPosture.CipherOrder(false, null, null, null, TlsPosture.Preference.CLIENT, null);

    Finding finding = TlsGrading.cipherOrder(TARGET, postures.build());

    assertThat(finding.status()).isEqualTo(Status.PASS);
    assertThat(finding.summary())
        .isEqualTo(
            "the server follows the client's order: no phase-out suites are enabled, so the"
                + " order does not matter");
    assertThat(finding.advice()).isNull();
  }

  @Test
  void cipherOrder_onlyPhaseOutSuitesPasses() {
    Postures postures = new Postures();
    postures.suites = new ArrayList<>(List.of(Postures.suite(0xC027), Postures.suite(0xC028)));
    postures.order =
        new TlsPosture.CipherOrder(false, null, null, null, TlsPosture.Preference.SERVER, 0xC028);

    Finding finding = TlsGrading.cipherOrder(TARGET, postures.build());

    assertThat(finding.status()).isEqualTo(Status.PASS);
    assertThat(finding.summary()).contains("no sufficient suite is enabled");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyExchangeCases")
  void keyExchange_table(String name, TlsPosture.KeyExchange kx, Status expected) {
    Postures postures = new Postures();
    postures.keyExchange = kx;

    assertThat(TlsGrading.keyExchange(TARGET, postures.build()).status()).isEqualTo(expected);
  }

  static Stream<Arguments> keyExchangeCases() {
    BigInteger two = BigInteger.TWO;
    TlsPosture.DhParameters ffdhe2048 =
        new TlsPosture.DhParameters(DHStandardGroups.rfc7919_ffdhe2048.getP(), two);
    TlsPosture.DhParameters ffdhe4096 =
        new TlsPosture.DhParameters(DHStandardGroups.rfc7919_ffdhe4096.getP(), two);
    TlsPosture.DhParameters modp4096 =
        new TlsPosture.DhParameters(DHStandardGroups.rfc3526_4096.getP(), two);
    return Stream.of(
        Arguments.of("P-256 and X25519", kx(Set.of(23, 29), Set.of(29)), Status.PASS),
        Arguments.of("X25519MLKEM768 in TLS 1.3", kx(Set.of(), Set.of(0x11EC, 29)), Status.PASS),
        Arguments.of("secp224r1 accepted", kx(Set.of(23, 21), Set.of()), Status.WARN),
        Arguments.of("secp192r1 accepted", kx(Set.of(23, 19), Set.of()), Status.FAIL),
        Arguments.of("ffdhe2048 in TLS 1.3", kx(Set.of(), Set.of(29, 256)), Status.FAIL),
        Arguments.of("ffdhe3072 in TLS 1.3", kx(Set.of(), Set.of(29, 257)), Status.WARN),
        Arguments.of(
            "DHE ffdhe4096",
            new TlsPosture.KeyExchange(Set.of(23), Set.of(), List.of(ffdhe4096)),
            Status.WARN),
        Arguments.of(
            "DHE ffdhe2048",
            new TlsPosture.KeyExchange(Set.of(23), Set.of(), List.of(ffdhe2048)),
            Status.FAIL),
        Arguments.of(
            "DHE 4096-bit MODP, not RFC 7919",
            new TlsPosture.KeyExchange(Set.of(), Set.of(), List.of(modp4096)),
            Status.FAIL),
        Arguments.of("nothing ephemeral", TlsPosture.KeyExchange.NONE, Status.PASS));
  }

  static TlsPosture.KeyExchange kx(Set<Integer> curves, Set<Integer> tls13) {
    return new TlsPosture.KeyExchange(curves, tls13, List.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sigalgCases")
  void sigalgs_table(String name, TlsPosture.Sigalgs sigalgs, Status expected) {
    Postures postures = new Postures();
    postures.sigalgs = sigalgs;

    assertThat(TlsGrading.sigalgs(TARGET, postures.build()).status()).isEqualTo(expected);
  }

  static Stream<Arguments> sigalgCases() {
    TlsVersion v12 = TlsVersion.TLS_1_2;
    return Stream.of(
        Arguments.of(
            "both refused", new TlsPosture.Sigalgs(v12, null, null, false, null), Status.PASS),
        Arguments.of(
            "RSA SHA-1 used",
            new TlsPosture.Sigalgs(v12, SignatureScheme.RSA_PKCS1_SHA1, null, false, null),
            Status.FAIL),
        Arguments.of(
            "ECDSA SHA-1 used",
            new TlsPosture.Sigalgs(v12, SignatureScheme.ECDSA_SHA1, 0x0303, false, null),
            Status.FAIL),
        Arguments.of(
            "SHA-1 offered, SHA-256 used",
            new TlsPosture.Sigalgs(v12, 0x0401, null, false, null),
            Status.PASS),
        Arguments.of(
            "SHA-224 used",
            new TlsPosture.Sigalgs(v12, null, SignatureScheme.RSA_SHA224, false, null),
            Status.WARN),
        Arguments.of(
            "SHA-224 offered, PSS SHA-256 used",
            new TlsPosture.Sigalgs(v12, null, 0x0804, false, null),
            Status.PASS),
        Arguments.of(
            "TLS 1.0 signed key exchange",
            new TlsPosture.Sigalgs(TlsVersion.TLS_1_0, null, null, true, null),
            Status.FAIL),
        Arguments.of(
            "static RSA only",
            new TlsPosture.Sigalgs(
                v12, null, null, false, "no accepted suite signs its key exchange"),
            Status.PASS),
        Arguments.of(
            "TLS 1.3 only",
            new TlsPosture.Sigalgs(null, null, null, false, "only TLS 1.3"),
            Status.PASS));
  }

  @Test
  void compression_deflateFails() {
    Postures postures = new Postures();
    postures.deflate = true;

    assertThat(TlsGrading.compression(TARGET, postures.build()).status()).isEqualTo(Status.FAIL);
    assertThat(TlsGrading.compression(TARGET, new Postures().build()).status())
        .isEqualTo(Status.PASS);
    assertThat(TlsGrading.compression(TARGET, new Postures().tls13Only().build()).status())
        .isEqualTo(Status.PASS);
  }

  @Test
  void secureRenegotiation_missingFails() {
    Postures postures = new Postures();
    postures.secureRenegotiation = false;

    assertThat(TlsGrading.secureRenegotiation(TARGET, postures.build()).status())
        .isEqualTo(Status.FAIL);
    assertThat(TlsGrading.secureRenegotiation(TARGET, new Postures().build()).status())
        .isEqualTo(Status.PASS);
    assertThat(TlsGrading.secureRenegotiation(TARGET, new Postures().tls13Only().build()).status())
        .isEqualTo(Status.PASS);
  }

  @Test
  void extendedMasterSecret_table() {
    Postures without = new Postures();
    without.ems = false;

    assertThat(TlsGrading.extendedMasterSecret(TARGET, without.build()).status())
        .isEqualTo(Status.FAIL);
    assertThat(TlsGrading.extendedMasterSecret(TARGET, new Postures().build()).status())
        .isEqualTo(Status.PASS);
    assertThat(TlsGrading.extendedMasterSecret(TARGET, new Postures().tls13Only().build()).status())
        .isEqualTo(Status.NOT_APPLICABLE);
  }

  @ParameterizedTest(name = "{0} of {1}")
  @CsvSource({"1, 0, not allowed", "3, 2, 2 client-initiated", "11, 11, unlimited"})
  void clientRenegotiation_isInfo(int attempted, int allowed, String summary) {
    Postures postures = new Postures();
    postures.renegotiation = new TlsPosture.ClientRenegotiation(attempted, allowed, null);

    Finding finding = TlsGrading.clientRenegotiation(TARGET, postures.build());

    assertThat(finding.status()).isEqualTo(Status.INFO);
    assertThat(finding.summary()).contains(summary);
    assertThat(finding.details().get("allowed")).isEqualTo(allowed);
  }
}
