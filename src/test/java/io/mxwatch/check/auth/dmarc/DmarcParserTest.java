package io.mxwatch.check.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DmarcParserTest {

  /** Records from RFC 7489 Appendix B and the spellings the grammar allows. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com | none | 100",
        "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com;"
            + " ruf=mailto:auth-reports@thirdparty.example.net | none | 100",
        "v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com; pct=25 | quarantine | 25",
        "v=DMARC1; p=reject; rua=mailto:reports@example.com!10m | reject | 100",
        "V=DMARC1; P=Reject; SP=quarantine | reject | 100",
        "v = DMARC1 ; p = reject ; pct = 100 ; | reject | 100",
        "v=DMARC1;p=reject;adkim=s;aspf=r;fo=0:1:d:s;rf=afrf;ri=86400 | reject | 100",
        "v=DMARC1; p=reject; np=reject; t=n; psd=n | reject | 100",
        "v=DMARC1; p=reject; rua=mailto:a@example.com,mailto:b@example.net | reject | 100"
      })
  void parse_acceptsValidRecord(String text, String policy, int pct) {
    DmarcRecord record = DmarcParser.parse(text);

    assertThat(record.errors()).isEmpty();
    assertThat(record.policy().wireName()).isEqualTo(policy);
    assertThat(record.percent()).isEqualTo(pct);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=DMARC1; p=bogus | p=bogus is invalid",
        "v=DMARC1; p=reject; sp=all | sp=all is invalid",
        "v=DMARC1; p=reject; pct=101 | pct=101 is invalid",
        "v=DMARC1; p=reject; pct=-1 | pct=-1 is invalid",
        "v=DMARC1; p=reject; p=none | appears more than once",
        "v=DMARC1; p=reject; adkim=x | adkim=x is invalid",
        "v=DMARC1; p=reject; fo=2 | fo=2 is invalid",
        "v=DMARC1; p=reject; t=maybe | t=maybe is invalid",
        "v=DMARC1; p=reject; garbage | is not a tag=value pair",
        "v=DMARC1; rua=mailto:a@example.com | the required tag p is missing",
        "v=DMARC1; p=r\u00e9ject | character \\xE9 at position 14",
        "v=DMARC1; p=reject; pct=5\u001b0 | character \\x1B at position 26"
      })
  void parse_reportsInvalidRecord(String text, String error) {
    DmarcRecord record = DmarcParser.parse(text);

    assertThat(record.valid()).isFalse();
    assertThat(String.join("; ", record.errors())).contains(error);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=DMARC1; p=none | true",
        "V=DMARC1; p=none | true",
        "v=DMARC1 | true",
        "v = DMARC1; p=none | true",
        "v=dmarc1; p=none | false",
        "v=DMARC10; p=none | false",
        "p=none; v=DMARC1 | false",
        "\" v=DMARC1; p=none\" | false",
        "v=spf1 -all | false"
      })
  void isDmarcRecord_selectsByVersion(String text, boolean expected) {
    assertThat(DmarcParser.isDmarcRecord(text)).isEqualTo(expected);
  }

  @Test
  void effectivePolicy_missingPWithValidRuaIsNone() {
    DmarcRecord record = DmarcParser.parse("v=DMARC1; rua=mailto:a@example.com");

    assertThat(record.effectivePolicy()).isEqualTo(DmarcRecord.Policy.NONE);
  }

  @Test
  void effectivePolicy_missingPWithoutRuaIsNoPolicy() {
    DmarcRecord record = DmarcParser.parse("v=DMARC1; sp=reject");

    assertThat(record.effectivePolicy()).isNull();
  }

  @Test
  void parse_ignoresUnknownTagWithWarning() {
    DmarcRecord record = DmarcParser.parse("v=DMARC1; p=reject; foo=bar");

    assertThat(record.valid()).isTrue();
    assertThat(record.warnings()).anyMatch(w -> w.contains("foo"));
  }

  /** RFC 7489 §6.3: receivers skip a report URI they cannot parse and apply the rest. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "v=DMARC1; p=reject; rua=dmarc@example.com | rua | dmarc@example.com",
        "v=DMARC1; p=reject; rua=mailto:nobody | rua | mailto:nobody",
        "v=DMARC1; p=reject; ruf=mailto:a\u001b@example.com | ruf | mailto:a\u001b@example.com",
        "v=DMARC1; p=reject; rua=mailto:\"><img src=x>@x.test | rua | mailto:\"><img src=x>@x.test"
      })
  void parse_skipsInvalidReportUriWithWarning(String text, String tag, String uri) {
    DmarcRecord record = DmarcParser.parse(text);

    assertThat(record.errors()).isEmpty();
    assertThat(record.policy()).isEqualTo(DmarcRecord.Policy.REJECT);
    assertThat(record.invalidUris()).containsExactly(new DmarcRecord.InvalidUri(tag, uri));
    assertThat(record.warnings()).anyMatch(w -> w.contains("invalid URI"));
  }

  @Test
  void parse_ignoresControlCharacterInUnknownTag() {
    DmarcRecord record = DmarcParser.parse("v=DMARC1; p=reject; x=\u001bjunk");

    assertThat(record.errors()).isEmpty();
    assertThat(record.warnings()).contains("unknown tag 'x' is ignored");
  }

  @Test
  void parse_readsDmarcbisTags() {
    DmarcRecord record = DmarcParser.parse("v=DMARC1; p=reject; np=quarantine; t=y; psd=u");

    assertThat(record.nonExistentPolicy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    assertThat(record.testing()).isTrue();
    assertThat(record.psd()).isEqualTo("u");
  }

  @Test
  void parse_readsReportUriHostsInALabels() {
    DmarcRecord record = DmarcParser.parse("v=DMARC1; p=none; rua=mailto:r@b\u00fccher.example!5m");

    assertThat(record.aggregateUris())
        .singleElement()
        .satisfies(
            uri -> {
              assertThat(uri.host()).isEqualTo("xn--bcher-kva.example");
              assertThat(uri.uri()).isEqualTo("mailto:r@b\u00fccher.example");
            });
  }

  @Test
  void parse_emptyRecordHasErrors() {
    DmarcRecord record = DmarcParser.parse("");

    assertThat(record.valid()).isFalse();
  }
}
