package io.mxwatch.check.dane;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.tls.TestPki;
import io.mxwatch.tls.TestPki.Issued;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;

class TlsaMatcherTest {
  static final String MX = "mx.example.test";
  static final Issued ROOT = ca(null, "Root");
  static final Issued INTERMEDIATE = ca(ROOT, "Intermediate");
  static final Issued LEAF = leaf(INTERMEDIATE, MX);
  static final Issued OTHER_NAME = leaf(INTERMEDIATE, "mail.elsewhere.test");
  static final Issued UNRELATED = ca(null, "Unrelated");
  static final Issued OLD_LEAF = leaf(INTERMEDIATE, MX);

  static final List<X509Certificate> SENT = List.of(cert(LEAF), cert(INTERMEDIATE));
  static final List<X509Certificate> LEAF_ONLY = List.of(cert(LEAF));
  static final List<X509Certificate> SENT_OTHER_NAME =
      List.of(cert(OTHER_NAME), cert(INTERMEDIATE));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("3 1 1 of the leaf key", tlsa(3, 1, 1, LEAF), SENT, 0),
        Arguments.of("3 1 1 of an old key", tlsa(3, 1, 1, OLD_LEAF), SENT, -1),
        Arguments.of("3 0 1 of the leaf certificate", tlsa(3, 0, 1, LEAF), SENT, 0),
        Arguments.of("3 1 2 of the leaf key", tlsa(3, 1, 2, LEAF), SENT, 0),
        Arguments.of("3 1 0 of the leaf key", tlsa(3, 1, 0, LEAF), SENT, 0),
        Arguments.of(
            "3 1 1 ignores the leaf's names", tlsa(3, 1, 1, OTHER_NAME), SENT_OTHER_NAME, 0),
        Arguments.of("2 1 1 of the sent intermediate", tlsa(2, 1, 1, INTERMEDIATE), SENT, 1),
        Arguments.of("2 0 1 of the sent intermediate", tlsa(2, 0, 1, INTERMEDIATE), SENT, 1),
        Arguments.of("2 1 1 of a root not sent", tlsa(2, 1, 1, ROOT), SENT, -1),
        Arguments.of("2 1 1 of the leaf itself", tlsa(2, 1, 1, LEAF), SENT, -1),
        Arguments.of(
            "2 1 1 of the intermediate, leaf lacks the MX name",
            tlsa(2, 1, 1, INTERMEDIATE),
            SENT_OTHER_NAME,
            -1),
        // RFC 7671 §5.2.2: a full trust anchor in the record may be left out of the chain.
        Arguments.of("2 1 0 of a root not sent", tlsa(2, 1, 0, ROOT), SENT, 2),
        Arguments.of("2 0 0 of a root not sent", tlsa(2, 0, 0, ROOT), SENT, 2),
        Arguments.of(
            "2 1 0 of an intermediate not sent", tlsa(2, 1, 0, INTERMEDIATE), LEAF_ONLY, 1),
        Arguments.of("2 1 0 of a root, leaf only sent", tlsa(2, 1, 0, ROOT), LEAF_ONLY, -1),
        Arguments.of("2 1 0 of an unrelated CA", tlsa(2, 1, 0, UNRELATED), SENT, -1),
        Arguments.of(
            "2 1 0 of a root not sent, leaf lacks the MX name",
            tlsa(2, 1, 0, ROOT),
            SENT_OTHER_NAME,
            -1),
        Arguments.of(
            "2 1 0 with data that is no SPKI", raw(2, 1, 0, new byte[] {1, 2, 3}), SENT, -1),
        Arguments.of(
            "2 0 0 with data that is no certificate", raw(2, 0, 0, new byte[40]), SENT, -1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void match_depth(String name, TLSARecord record, List<X509Certificate> chain, int depth) {
    TlsaMatcher.Result result = TlsaMatcher.match(List.of(record), chain, List.of(MX));

    TlsaMatcher.Assessment assessment = result.assessments().get(0);
    assertThat(assessment.problem()).as("usable").isNull();
    assertThat(assessment.matchedDepth()).isEqualTo(depth);
    assertThat(result.matched()).isEqualTo(depth >= 0);
  }

  static Stream<Arguments> unusable() {
    byte[] shortHash = new byte[20];
    return Stream.of(
        Arguments.of(tlsa(1, 1, 1, LEAF), "usage 1 (PKIX-EE) is not usable for SMTP"),
        Arguments.of(tlsa(0, 1, 1, ROOT), "usage 0 (PKIX-TA) is not usable for SMTP"),
        Arguments.of(raw(3, 1, 1, shortHash), "malformed: SHA-256 data is 20 bytes"),
        Arguments.of(raw(3, 1, 2, new byte[32]), "malformed: SHA-512 data is 32 bytes"),
        Arguments.of(raw(3, 2, 1, new byte[32]), "unknown selector 2"),
        Arguments.of(raw(3, 1, 3, new byte[32]), "unknown matching type 3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unusable")
  void match_unusableRecordNeverMatches(TLSARecord record, String problem) {
    TlsaMatcher.Result result = TlsaMatcher.match(List.of(record), SENT, List.of(MX));

    assertThat(result.assessments().get(0).problem()).startsWith(problem);
    assertThat(result.usableCount()).isZero();
    assertThat(result.matched()).isFalse();
  }

  private static TLSARecord tlsa(int usage, int selector, int matchingType, Issued issued) {
    try {
      X509Certificate certificate = issued.certificate();
      byte[] selected =
          selector == 0 ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
      byte[] data =
          switch (matchingType) {
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> selected;
          };
      return raw(usage, selector, matchingType, data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static TLSARecord raw(int usage, int selector, int matchingType, byte[] data) {
    return new TLSARecord(
        Name.fromConstantString("_25._tcp." + MX + "."),
        DClass.IN,
        300,
        usage,
        selector,
        matchingType,
        data);
  }

  private static Issued ca(Issued issuer, String name) {
    Instant now = Instant.now();
    return TestPki.issue(
        issuer,
        name,
        TestPki.ec("secp256r1"),
        "SHA256withECDSA",
        now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(365)),
        true,
        List.of());
  }

  private static Issued leaf(Issued issuer, String host) {
    return TestPki.leaf(issuer, host, TestPki.ec("secp256r1"), "SHA256withECDSA", 90);
  }

  private static X509Certificate cert(Issued issued) {
    return issued.certificate();
  }
}
