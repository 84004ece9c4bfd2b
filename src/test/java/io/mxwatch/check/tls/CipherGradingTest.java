package io.mxwatch.check.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.tls.CipherOrderPlanner;
import io.mxwatch.tls.CipherSuite;
import io.mxwatch.tls.CipherSuites;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CipherGradingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "TLS_AES_256_GCM_SHA384, GOOD",
    "TLS_CHACHA20_POLY1305_SHA256, GOOD",
    "TLS_AES_128_GCM_SHA256, SUFFICIENT",
    "TLS_AES_128_CCM_SHA256, SUFFICIENT",
    "TLS_AES_128_CCM_8_SHA256, INSUFFICIENT",
    "TLS_SHA256_SHA256, INSUFFICIENT",
    "TLS_SHA384_SHA384, INSUFFICIENT",
    "TLS_SM4_GCM_SM3, INSUFFICIENT"
  })
  void tls13Level_table(String name, NcscLevel expected) {
    assertThat(CipherGrading.tls13Level(code(name))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // Sufficient: the eight ECDHE AEAD suites.
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, SUFFICIENT",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, SUFFICIENT",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, SUFFICIENT",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CCM, SUFFICIENT",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM, SUFFICIENT",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, SUFFICIENT",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, SUFFICIENT",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, SUFFICIENT",
    // Phase-out: ECDHE CBC with SHA-2, CAMELLIA, ARIA; DHE_RSA with AEAD or SHA-2.
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, PHASE_OUT",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, PHASE_OUT",
    "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384, PHASE_OUT",
    "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256, PHASE_OUT",
    "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256, PHASE_OUT",
    "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384, PHASE_OUT",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, PHASE_OUT",
    "TLS_DHE_RSA_WITH_AES_128_CCM, PHASE_OUT",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256, PHASE_OUT",
    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256, PHASE_OUT",
    "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256, PHASE_OUT",
    "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256, PHASE_OUT",
    "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256, PHASE_OUT",
    // Insufficient: every other suite.
    "TLS_RSA_WITH_NULL_SHA, INSUFFICIENT",
    "TLS_RSA_EXPORT_WITH_RC4_40_MD5, INSUFFICIENT",
    "TLS_RSA_WITH_RC4_128_SHA, INSUFFICIENT",
    "TLS_ECDHE_RSA_WITH_RC4_128_SHA, INSUFFICIENT",
    "TLS_RSA_WITH_DES_CBC_SHA, INSUFFICIENT",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA, INSUFFICIENT",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, INSUFFICIENT",
    "TLS_DH_anon_WITH_AES_128_CBC_SHA, INSUFFICIENT",
    "TLS_ECDH_anon_WITH_AES_128_CBC_SHA, INSUFFICIENT",
    "TLS_RSA_WITH_AES_128_GCM_SHA256, INSUFFICIENT",
    "TLS_RSA_WITH_AES_256_CCM, INSUFFICIENT",
    "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384, INSUFFICIENT",
    "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384, INSUFFICIENT",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, INSUFFICIENT",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, INSUFFICIENT",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA, INSUFFICIENT",
    "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA, INSUFFICIENT",
    "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA, INSUFFICIENT",
    "TLS_RSA_WITH_ARIA_128_GCM_SHA256, INSUFFICIENT",
    "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384, INSUFFICIENT",
    "TLS_RSA_WITH_AES_128_CCM_8, INSUFFICIENT",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, INSUFFICIENT",
    "TLS_DHE_RSA_WITH_AES_256_CCM_8, INSUFFICIENT",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD, INSUFFICIENT",
    "TLS_RSA_WITH_SEED_CBC_SHA, INSUFFICIENT",
    "TLS_RSA_WITH_IDEA_CBC_SHA, INSUFFICIENT",
    "TLS_PSK_WITH_AES_128_GCM_SHA256, INSUFFICIENT",
    "TLS_SRP_SHA_WITH_AES_128_CBC_SHA, INSUFFICIENT",
    "TLS_KRB5_WITH_3DES_EDE_CBC_SHA, INSUFFICIENT",
    "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC, INSUFFICIENT"
  })
  void level_table(String name, NcscLevel expected) {
    assertThat(CipherGrading.level(code(name))).isEqualTo(expected);
  }

  @Test
  void level_tablesHaveTheDocumentedSizes() {
    assertThat(CipherGrading.SUFFICIENT).hasSize(8);
    assertThat(CipherGrading.PHASE_OUT).hasSize(35);
  }

  @ParameterizedTest
  @MethodSource("listedSuites")
  void level_everyListedSuiteIsInTheRegistry(int code) {
    assertThat(CipherSuites.byCode(code)).isPresent();
  }

  static Stream<Integer> listedSuites() {
    return Stream.concat(CipherGrading.SUFFICIENT.stream(), CipherGrading.PHASE_OUT.stream());
  }

  @Test
  void registry_containsTheWholeFamilies() {
    List<String> names = CipherSuites.all().stream().map(CipherSuite::name).toList();

    assertThat(names.stream().filter(n -> n.contains("CAMELLIA")).count()).isGreaterThan(40);
    assertThat(names.stream().filter(n -> n.contains("ARIA")).count()).isGreaterThan(40);
    assertThat(names.stream().filter(n -> n.contains("CCM_8")).count()).isGreaterThanOrEqualTo(10);
    assertThat(names.stream().filter(n -> n.contains("EXPORT")).count()).isGreaterThan(10);
    assertThat(names).contains("TLS_RSA_WITH_NULL_MD5", "TLS_RSA_WITH_RC4_128_MD5");
    assertThat(CipherSuites.tls13()).hasSize(13);
  }

  @Test
  void orderTests_sufficientSuiteOfferedLast() {
    List<CipherOrderPlanner.OrderTest> tests =
        CipherGrading.orderTests(List.of(0xC02F, 0xCCAA, 0xC027, 0xC030, 0x002F));

    assertThat(tests)
        .containsExactly(
            new CipherOrderPlanner.OrderTest(List.of(0xC027, 0xCCAA, 0xC02F), 0xC02F),
            new CipherOrderPlanner.OrderTest(List.of(0xC027, 0xCCAA, 0xC030), 0xC030));
  }

  @Test
  void orderTests_noneWithoutPhaseOut() {
    assertThat(CipherGrading.orderTests(List.of(0xC02F, 0xC030, 0x002F))).isEmpty();
  }

  static int code(String name) {
    return CipherSuites.byName(name)
        .orElseThrow(() -> new AssertionError("not in the registry: " + name))
        .code();
  }
}
