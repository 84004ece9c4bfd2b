package io.mxwatch.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainNameTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          example.org           | example.org           | example.org
          ExAmPle.ORG           | example.org           | example.org
          example.org.          | example.org           | example.org
          '  example.org  '     | example.org           | example.org
          straße.de             | xn--strae-oqa.de      | straße.de
          faß.de                | xn--fa-hia.de         | faß.de
          XN--STRAE-OQA.DE      | xn--strae-oqa.de      | straße.de
          xn--strae-oqa.de.     | xn--strae-oqa.de      | straße.de
          βόλος.com             | xn--nxasmm1c.com      | βόλος.com
          ΒΌΛΟΣ.com             | xn--nxasmq6b.com      | βόλοσ.com
          bücher.example        | xn--bcher-kva.example | bücher.example
          BÜCHER.example        | xn--bcher-kva.example | bücher.example
          日本語.jp             | xn--wgv71a119e.jp     | 日本語.jp
          """)
  void parse_convertsToALabels(String input, String ascii, String unicode) {
    DomainName name = DomainName.parse(input);
    assertThat(name.ascii()).isEqualTo(ascii);
    assertThat(name.unicode()).isEqualTo(unicode);
    assertThat(name.name().isAbsolute()).isTrue();
    assertThat(name.name().toString(true)).isEqualTo(ascii);
  }

  @Test
  void parse_showsBothForms() {
    DomainName name = DomainName.parse("straße.de");
    assertThat(name.isInternationalized()).isTrue();
    assertThat(name.toString()).isEqualTo("xn--strae-oqa.de (straße.de)");
    assertThat(DomainName.parse("example.org").isInternationalized()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          💩.la                 | U+1F4A9 PILE OF POO
          ☃.example             | U+2603 SNOWMAN
          a..example            | empty label
          .example              | empty label
          ''                    | empty
          '   '                 | empty
          -lead.example         | hyphen
          trail-.example        | hyphen
          under_score.example   | not allowed
          xn--zz.example        | not valid Punycode
          exa mple.org          | not allowed
          """)
  void parse_rejectsInvalid(String input, String reason) {
    String text = input == null ? "" : input;
    assertThatThrownBy(() -> DomainName.parse(text))
        .isInstanceOf(DomainName.InvalidDomainException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void parse_acceptsLabelOf63AndNameOf253() {
    String label63 = "a".repeat(63);
    assertThat(DomainName.parse(label63 + ".example").ascii()).startsWith(label63);
    String name253 =
        String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
    assertThat(name253).hasSize(253);
    DomainName parsed = DomainName.parse(name253);
    // 253 characters of text are 255 octets on the wire, the RFC 1035 §2.3.4 limit.
    assertThat(parsed.name().length()).isEqualTo((short) 255);
  }

  @Test
  void parse_rejectsLabelOf64() {
    assertThatThrownBy(() -> DomainName.parse("a".repeat(64) + ".example"))
        .isInstanceOf(DomainName.InvalidDomainException.class)
        .hasMessageContaining("63");
  }

  @Test
  void parse_rejectsNameOf254() {
    String name254 =
        String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62));
    assertThatThrownBy(() -> DomainName.parse(name254))
        .isInstanceOf(DomainName.InvalidDomainException.class)
        .hasMessageContaining("253");
  }

  @Test
  void parse_rejectsUnicodeThatGrowsPast253() {
    // Each "ü" label becomes "xn--tda", so a short Unicode input can exceed the limit as A-labels.
    String many = String.join(".", java.util.Collections.nCopies(40, "ü")) + ".example";
    assertThat(many.length()).isLessThan(253);
    assertThatThrownBy(() -> DomainName.parse(many))
        .isInstanceOf(DomainName.InvalidDomainException.class)
        .hasMessageContaining("253");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "1.2.3.4, an IP address is not a mail domain",
    "2001:db8::25, an IP address is not a mail domain",
    "localhost, at least two labels",
    "com, at least two labels",
    "123, at least two labels",
    "x.onion, .onion names are for special use",
    "mail.localhost, .localhost names are for special use",
    "example.invalid, .invalid names are for special use",
    "printer.local, .local names are for special use"
  })
  void parse_rejectsNamesThatAreNoMailDomain(String input, String reason) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DomainName.parse(input))
        .isInstanceOf(DomainName.InvalidDomainException.class)
        .hasMessageContaining(reason);
  }
}
