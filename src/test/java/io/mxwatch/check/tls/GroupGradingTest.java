package io.mxwatch.check.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.stream.Stream;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GroupGradingTest {

  @ParameterizedTest(name = "group {0}")
  @CsvSource({
    "23, SUFFICIENT", // secp256r1
    "24, SUFFICIENT",
    "25, SUFFICIENT",
    "29, SUFFICIENT", // x25519
    "30, SUFFICIENT",
    "26, SUFFICIENT", // brainpoolP256r1
    "27, SUFFICIENT",
    "28, SUFFICIENT",
    "31, SUFFICIENT", // brainpoolP256r1tls13
    "33, SUFFICIENT",
    "21, PHASE_OUT", // secp224r1
    "19, INSUFFICIENT", // secp192r1
    "22, INSUFFICIENT", // secp256k1
    "1, INSUFFICIENT", // sect163k1
    "14, INSUFFICIENT", // sect571r1
    "34, INSUFFICIENT", // GC256A
    "256, INSUFFICIENT", // ffdhe2048
    "257, PHASE_OUT",
    "258, PHASE_OUT",
    "259, PHASE_OUT",
    "260, PHASE_OUT",
    "4588, GOOD", // X25519MLKEM768
    "4587, GOOD",
    "4589, GOOD",
    "65281, INSUFFICIENT" // arbitrary_explicit_prime_curves
  })
  void level_table(int group, NcscLevel expected) {
    assertThat(GroupGrading.level(group)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dhGroups")
  void dhLevel_table(String name, BigInteger prime, BigInteger generator, NcscLevel expected) {
    assertThat(GroupGrading.dhLevel(prime, generator)).isEqualTo(expected);
  }

  static Stream<Arguments> dhGroups() {
    BigInteger two = BigInteger.TWO;
    BigInteger ffdhe3072 = DHStandardGroups.rfc7919_ffdhe3072.getP();
    return Stream.of(
        Arguments.of(
            "ffdhe2048", DHStandardGroups.rfc7919_ffdhe2048.getP(), two, NcscLevel.INSUFFICIENT),
        Arguments.of("ffdhe3072", ffdhe3072, two, NcscLevel.PHASE_OUT),
        Arguments.of(
            "ffdhe4096", DHStandardGroups.rfc7919_ffdhe4096.getP(), two, NcscLevel.PHASE_OUT),
        Arguments.of(
            "ffdhe6144", DHStandardGroups.rfc7919_ffdhe6144.getP(), two, NcscLevel.PHASE_OUT),
        Arguments.of(
            "ffdhe8192", DHStandardGroups.rfc7919_ffdhe8192.getP(), two, NcscLevel.PHASE_OUT),
        Arguments.of(
            "ffdhe3072 with generator 5", ffdhe3072, BigInteger.valueOf(5), NcscLevel.INSUFFICIENT),
        Arguments.of(
            "ffdhe3072 prime off by two", ffdhe3072.subtract(two), two, NcscLevel.INSUFFICIENT),
        Arguments.of(
            "RFC 3526 MODP 4096",
            DHStandardGroups.rfc3526_4096.getP(),
            two,
            NcscLevel.INSUFFICIENT),
        Arguments.of(
            "RFC 2409 MODP 1024",
            DHStandardGroups.rfc2409_1024.getP(),
            two,
            NcscLevel.INSUFFICIENT),
        Arguments.of(
            "RFC 3526 MODP 8192",
            DHStandardGroups.rfc3526_8192.getP(),
            two,
            NcscLevel.INSUFFICIENT));
  }
}
