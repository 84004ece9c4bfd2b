package io.mxwatch.check.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.TestKeys;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DkimKeyParserTest {

  /** The 1024-bit key of the example in RFC 6376 Appendix C. */
  static final String RFC6376_KEY =
      "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7"
          + "/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0"
          + "fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB";

  /** The Ed25519 key of the example in RFC 8463 Appendix A. */
  static final String RFC8463_KEY =
      "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  static String rsaRecord(int bits) {
    return TestKeys.rsaRecord(bits);
  }

  @Test
  void parse_rfc6376ExampleKeyIs1024Bits() {
    DkimKey key = DkimKeyParser.parse(RFC6376_KEY);

    assertThat(key.errors()).isEmpty();
    assertThat(key.keyType()).isEqualTo("rsa");
    assertThat(key.keyBits()).isEqualTo(1024);
  }

  @Test
  void parse_rfc8463Ed25519Key() {
    DkimKey key = DkimKeyParser.parse(RFC8463_KEY);

    assertThat(key.errors()).isEmpty();
    assertThat(key.keyType()).isEqualTo("ed25519");
    assertThat(key.keyBits()).isEqualTo(256);
  }

  @ParameterizedTest
  @ValueSource(ints = {2048, 3072})
  void parse_generatedRsaKeySize(int bits) {
    assertThat(DkimKeyParser.parse(rsaRecord(bits)).keyBits()).isEqualTo(bits);
  }

  @Test
  void parse_keyWithFoldingWhitespace() {
    String folded =
        RFC6376_KEY.replace("MIGfMA0G", "MIGf MA0G\r\n\t").replace("; p=", ";\r\n p = ");

    DkimKey key = DkimKeyParser.parse(folded);

    assertThat(key.errors()).isEmpty();
    assertThat(key.keyBits()).isEqualTo(1024);
  }

  @Test
  void parse_emptyPIsRevoked() {
    DkimKey key = DkimKeyParser.parse("v=DKIM1; k=rsa; p=");

    assertThat(key.revoked()).isTrue();
    assertThat(key.usable()).isFalse();
  }

  @Test
  void parse_pkcs1KeyIsReadWithWarning() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    byte[] spki = generator.generateKeyPair().getPublic().getEncoded();
    byte[] pkcs1 =
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(spki)
            .getPublicKeyData()
            .getBytes();

    DkimKey key = DkimKeyParser.parse("p=" + Base64.getEncoder().encodeToString(pkcs1));

    assertThat(key.keyBits()).isEqualTo(2048);
    assertThat(key.warnings()).anyMatch(w -> w.contains("PKCS#1"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=DKIM1; k=rsa | the required tag p",
        "v=DKIM2; p=AAAA | v=DKIM2 is invalid",
        "k=rsa; v=DKIM1; p=AAAA | must be the first tag",
        "v=DKIM1; p=AAAA; p=BBBB | appears more than once",
        "v=DKIM1; k=dsa; p=AAAA | not a known key type",
        "v=DKIM1; k=ed25519; p=AAAA | an Ed25519 key is 32 bytes",
        "v=DKIM1; p=!!!! | not valid base64",
        "v=DKIM1; p=AAAA | does not hold an RSA public key",
        "v=DKIM1; h=sha1; p=AAAA | does not allow sha256",
        "v=DKIM1; s=tlsrpt; p=AAAA | not for email",
        "v=DKIM1;; p=AAAA | empty tag",
        "v=DKIM1; P=AAAA | the required tag p",
        "\"\" | the record is empty"
      })
  void parse_reportsUnusableRecord(String text, String error) {
    DkimKey key = DkimKeyParser.parse(text);

    assertThat(String.join("; ", key.errors())).contains(error);
  }

  @Test
  void parse_testingFlagWarns() {
    DkimKey key = DkimKeyParser.parse(RFC8463_KEY + "; t=y:s");

    assertThat(key.warnings()).anyMatch(w -> w.contains("t=y"));
  }
}
