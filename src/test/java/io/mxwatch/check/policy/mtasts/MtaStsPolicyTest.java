package io.mxwatch.check.policy.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MtaStsPolicyTest {

  /** The policy example of RFC 8461 §3.2. */
  private static final String RFC8461_POLICY =
      "version: STSv1\r\n"
          + "mode: enforce\r\n"
          + "mx: mail.example.com\r\n"
          + "mx: *.example.net\r\n"
          + "mx: backupmx.example.com\r\n"
          + "max_age: 604800\r\n";

  @Test
  void parse_rfc8461Example() {
    MtaStsPolicy policy = MtaStsPolicy.parse(RFC8461_POLICY);

    assertThat(policy.errors()).isEmpty();
    assertThat(policy.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
    assertThat(policy.maxAge()).isEqualTo(604800);
    assertThat(policy.mxPatterns())
        .containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
  }

  @Test
  void parse_acceptsLfLineEndingsAndNoFinalNewline() {
    MtaStsPolicy policy = MtaStsPolicy.parse(RFC8461_POLICY.replace("\r\n", "\n").strip());

    assertThat(policy.errors()).isEmpty();
  }

  @Test
  void parse_ignoresUnknownFields() {
    MtaStsPolicy policy = MtaStsPolicy.parse(RFC8461_POLICY + "x_extension: anything\r\n");

    assertThat(policy.valid()).isTrue();
  }

  @Test
  void parse_modeNoneNeedsNoMx() {
    MtaStsPolicy policy = MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 86400\n");

    assertThat(policy.valid()).isTrue();
    assertThat(policy.mode()).isEqualTo(MtaStsPolicy.Mode.NONE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "version: STSv2\\nmode: enforce\\nmx: a.example\\nmax_age: 1 | it must be STSv1",
        "mode: enforce\\nmx: a.example\\nmax_age: 1 | version is missing",
        "version: STSv1\\nmode: Enforce\\nmx: a.example\\nmax_age: 1 | mode: Enforce is invalid",
        "version: STSv1\\nmx: a.example\\nmax_age: 1 | mode is missing",
        "version: STSv1\\nmode: enforce\\nmx: a.example | max_age is missing",
        "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 31557601 | 0 to 31557600",
        "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: -5 | max_age: -5 is invalid",
        "version: STSv1\\nmode: enforce\\nmax_age: 86400 | requires at least one mx",
        "version: STSv1\\nmode: testing\\nmx: *.*.example\\nmax_age: 86400 | not a host name",
        "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 1\\ngarbage | not 'key: value'",
        "<html><body>Not found</body></html> | not 'key: value'"
      })
  void parse_reportsInvalidPolicy(String body, String error) {
    MtaStsPolicy policy = MtaStsPolicy.parse(body.replace("\\n", "\n"));

    assertThat(policy.valid()).isFalse();
    assertThat(String.join("; ", policy.errors())).contains(error);
  }

  /** RFC 8461 §4.1: a wildcard covers exactly one leftmost label. */
  @ParameterizedTest
  @CsvSource({
    "mail.example.com, mail.example.com, true",
    "mail.example.com, MAIL.Example.COM., true",
    "*.example.net, mx1.example.net, true",
    "*.example.net, example.net, false",
    "*.example.net, a.b.example.net, false",
    "*.example.net, mx1.example.net.evil, false",
    "mail.example.com, mail2.example.com, false",
    "*.xn--bcher-kva.de, mx.xn--bcher-kva.de, true"
  })
  void matches_wildcardCoversOneLabel(String pattern, String host, boolean expected) {
    assertThat(MtaStsPolicy.matches(pattern, host)).isEqualTo(expected);
  }
}
