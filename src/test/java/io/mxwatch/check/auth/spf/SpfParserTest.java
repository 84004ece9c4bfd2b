package io.mxwatch.check.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpfParserTest {

  /** Records from RFC 7208 Appendix A and common real-world forms: all valid. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "v=spf1 +all",
        "v=spf1 a -all",
        "v=spf1 a:example.org -all",
        "v=spf1 mx -all",
        "v=spf1 mx:example.org -all",
        "v=spf1 mx mx:example.org -all",
        "v=spf1 mx/30 mx:example.org/30 -all",
        "v=spf1 ptr -all",
        "v=spf1 ip4:192.0.2.128/28 -all",
        "v=spf1 include:example.com include:example.net -all",
        "v=spf1 redirect=example.org",
        "v=spf1 mx:example.com -all",
        "v=spf1 -include:ip4._spf.%{d} -include:ptr._spf.%{d} +all",
        "v=spf1 -ip4:192.0.2.0/24 +all",
        "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all",
        "v=spf1 ip6:2001:db8::/32 ip6:::1 ~all",
        "v=spf1 a/24//64 -all",
        "v=spf1 a//64 -all",
        "v=spf1 exp=explain._spf.%{d} -all",
        "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",
        "V=SPF1 IP4:192.0.2.1 -ALL",
        "v=spf1",
        "v=spf1 -all ",
        "v=spf1  a  -all",
        "v=spf1 a:foo.example.xn--zckzah -all",
        "v=spf1 include:_spf.google.com ~all"
      })
  void parse_acceptsValidRecord(String record) {
    SpfRecord parsed = SpfParser.parse(record);

    assertThat(parsed.text()).isEqualTo(record);
  }

  /** Syntax errors anywhere make the whole record a permerror (RFC 7208 §4.6). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=spf1 ip4:1.2.3.4 -all moo | unknown mechanism 'moo'",
        "v=spf1 -all. | unexpected '.'",
        "v=spf1 -all:foobar | unexpected ':foobar'",
        "v=spf1 -all/8 | unexpected '/8'",
        "v=spf1 ip4:1.2.3.4/33 -all | larger than 32",
        "v=spf1 ip4:1.2.3.4/032 -all | leading zeros",
        "v=spf1 ip4:1.2.3 | not an IPv4 address",
        "v=spf1 ip4:256.1.1.1 | not an IPv4 address",
        "v=spf1 ip6:::1.1.1.1/129 | larger than 128",
        "v=spf1 ip6:1.2.3.4 | not an IPv6 address",
        "v=spf1 a:111.222.33.44 | not a domain name",
        "v=spf1 a:museum | not a domain name",
        "v=spf1 a:example.-com | not a domain name",
        "v=spf1 a: | the domain is empty",
        "v=spf1 include: -all | the domain is empty",
        "v=spf1 include | a ':' and a value are required",
        "v=spf1 exists:mail.example.com/24 | not a domain name",
        "v=spf1 ptr/0 -all | expected ':'",
        "v=spf1 a//129 -all | larger than 128",
        "v=spf1 redirect=a.example redirect=b.example | more than once",
        "v=spf1 exp=a.example exp=b.example -all | more than once",
        "v=spf1 a:%{x}.example | unknown macro letter",
        "v=spf1 a:%{d0}.example | must be nonzero",
        "v=spf1 a:%{c}.example | only allowed in explanation",
        "v=spf1 a:%(ir).example | invalid macro",
        "v=spf1 a:%{d.example | unterminated macro",
        "v=spf1 ip4:192.0.2.5\tinclude:a.example -all | U+0009",
        "v=spf1 a:caf\u00e9.example -all | U+00E9",
        "v=spf1 redirect:t2.example.com | unknown mechanism",
        "v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all | unknown mechanism"
      })
  void parse_rejectsInvalidRecord(String record, String message) {
    assertThatThrownBy(() -> SpfParser.parse(record))
        .isInstanceOf(SpfSyntaxException.class)
        .hasMessageContaining(message.strip());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "v=spf1 -all | true",
        "v=spf1 | true",
        "V=Spf1 mx | true",
        "v=spf10 | false",
        "v=spf1mx | false",
        "spf1 -all | false",
        "' v=spf1 -all' | false",
        "v=spf2.0/pra -all | false"
      })
  void isSpfRecord_followsSelectionRule(String text, boolean expected) {
    assertThat(SpfParser.isSpfRecord(text)).isEqualTo(expected);
  }

  @Test
  void parse_keepsDualCidrLengths() {
    Mechanism a = SpfParser.parse("v=spf1 a:mail.example/24//64").mechanisms().get(0);

    assertThat(a.ip4Prefix()).isEqualTo(24);
    assertThat(a.ip6Prefix()).isEqualTo(64);
    assertThat(a.domainSpec().text()).isEqualTo("mail.example");
  }

  @Test
  void parse_readsQualifiers() {
    SpfRecord record = SpfParser.parse("v=spf1 +a -mx ~ptr ?all");

    assertThat(record.mechanisms())
        .extracting(Mechanism::qualifier)
        .containsExactly(Qualifier.PASS, Qualifier.FAIL, Qualifier.SOFTFAIL, Qualifier.NEUTRAL);
  }

  @Test
  void parse_collectsUnknownModifiers() {
    SpfRecord record = SpfParser.parse("v=spf1 moo=bar.%{d} -all");

    assertThat(record.unknownModifiers()).extracting(Modifier::name).containsExactly("moo");
  }

  @Test
  void parse_readsFourThousandCharacterRecord() {
    StringBuilder text = new StringBuilder("v=spf1");
    for (int i = 0; text.length() < 4000; i++) {
      text.append(" ip4:10.").append(i / 256 % 256).append('.').append(i % 256).append(".0/24");
    }
    text.append(" -all");

    SpfRecord record = SpfParser.parse(text.toString());

    assertThat(record.mechanisms()).hasSizeGreaterThan(200);
  }
}
