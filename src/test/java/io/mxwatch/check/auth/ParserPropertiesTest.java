package io.mxwatch.check.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.dkim.DkimKeyParser;
import io.mxwatch.check.auth.dmarc.DmarcParser;
import io.mxwatch.check.auth.dmarc.OrganizationalDomain;
import io.mxwatch.check.auth.spf.SpfEvaluation;
import io.mxwatch.check.auth.spf.SpfEvaluator;
import io.mxwatch.check.auth.spf.SpfParser;
import io.mxwatch.check.auth.spf.SpfSyntaxException;
import io.mxwatch.check.policy.mtasts.MtaStsPolicy;
import io.mxwatch.check.policy.mtasts.MtaStsRecord;
import io.mxwatch.check.policy.tlsrpt.TlsRptRecord;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated records never make a parser throw anything but its documented syntax error,
 * and never make an SPF evaluation throw or run without bounds.
 */
class ParserPropertiesTest {

  private static final List<String> SPF_SEEDS =
      List.of(
          "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all",
          "v=spf1 a:mail.%{d} mx/24//64 include:_spf.example.com ~all",
          "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} redirect=_spf.example.net exp=exp.%{d}",
          "v=spf1 ptr:example.org ?all moo=bar");
  private static final List<String> DMARC_SEEDS =
      List.of(
          "v=DMARC1; p=reject; sp=none; pct=50; rua=mailto:a@example.com!10m,mailto:b@x.example",
          "V=DMARC1;P=quarantine;adkim=s;aspf=r;fo=0:1:d:s;rf=afrf;ri=86400;np=reject;t=y;psd=u");
  private static final List<String> DKIM_SEEDS =
      List.of(
          "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
          "v=DKIM1; h=sha256:sha1; s=email; t=y:s; n=note; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GN"
              + "ADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ij");
  private static final List<String> POLICY_SEEDS =
      List.of(
          "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
              + "max_age: 604800\r\n",
          "v=STSv1; id=20160831085700Z;",
          "v=TLSRPTv1; rua=mailto:reports@example.com,https://reporting.example.com/v1/tlsrpt");

  private static final List<Character> INTERESTING =
      List.of(
          ';', '=', ':', '/', '%', '{', '}', ' ', '\t', '\r', '\n', '.', '-', '+', '~', '?', '!',
          ',', '*', '@', '0', '9', 'a', 'Z', '\u0000', '\u0080', '\u00e9', '\u00ff', '\u4e2d');

  @Provide
  Arbitrary<String> spfRecords() {
    return anyOf(SPF_SEEDS);
  }

  @Provide
  Arbitrary<String> dmarcRecords() {
    return anyOf(DMARC_SEEDS);
  }

  @Provide
  Arbitrary<String> dkimRecords() {
    return anyOf(DKIM_SEEDS);
  }

  @Provide
  Arbitrary<String> policyTexts() {
    return anyOf(POLICY_SEEDS);
  }

  /** Random text, or a seed with up to six random edits. */
  private static Arbitrary<String> anyOf(List<String> seeds) {
    Arbitrary<String> random =
        Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(400);
    Arbitrary<String> mutated =
        Combinators.combine(
                Arbitraries.of(seeds),
                Arbitraries.integers().between(0, 10_000).list().ofMaxSize(6),
                Arbitraries.of(INTERESTING).list().ofMaxSize(6),
                Arbitraries.integers().between(0, 2).list().ofMaxSize(6))
            .as(ParserPropertiesTest::mutate);
    return Arbitraries.oneOf(random, mutated, mutated);
  }

  private static String mutate(
      String seed, List<Integer> positions, List<Character> characters, List<Integer> kinds) {
    StringBuilder text = new StringBuilder(seed);
    int edits = Math.min(positions.size(), Math.min(characters.size(), kinds.size()));
    for (int i = 0; i < edits; i++) {
      int at = text.isEmpty() ? 0 : positions.get(i) % text.length();
      switch (kinds.get(i)) {
        case 0 -> text.insert(at, characters.get(i));
        case 1 -> {
          if (!text.isEmpty()) {
            text.deleteCharAt(at);
          }
        }
        default -> {
          if (!text.isEmpty()) {
            text.setCharAt(at, characters.get(i));
          }
        }
      }
    }
    return text.toString();
  }

  @Property(tries = 400)
  void spfParse_throwsOnlySyntaxErrors(@ForAll("spfRecords") String text) {
    try {
      SpfParser.parse(text);
    } catch (SpfSyntaxException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 200)
  void spfAnalyze_neverThrowsAndStaysBounded(
      @ForAll("spfRecords") String first, @ForAll("spfRecords") String second) {
    FakeDns dns =
        new FakeDns()
            .longTxt("example.com", first)
            .longTxt("_spf.example.com", second)
            .longTxt("_spf.example.net", first)
            .add("example.com", "MX", "10 mail.example.com.")
            .add("mail.example.com", "A", "192.0.2.1");

    SpfEvaluation evaluation = SpfEvaluator.analyze(dns, "example.com");

    assertThat(evaluation.result()).isNotNull();
    assertThat(dns.queries()).isLessThan(1000);
  }

  @Property(tries = 400)
  void dmarcParse_neverThrows(@ForAll("dmarcRecords") String text) {
    DmarcParser.isDmarcRecord(text);
    assertThat(DmarcParser.parse(text)).isNotNull();
  }

  @Property(tries = 400)
  void dkimParse_neverThrows(@ForAll("dkimRecords") String text) {
    assertThat(DkimKeyParser.parse(text)).isNotNull();
  }

  @Property(tries = 400)
  void policyParsers_neverThrow(@ForAll("policyTexts") String text) {
    assertThat(MtaStsPolicy.parse(text)).isNotNull();
    assertThat(MtaStsRecord.parse(text)).isNotNull();
    assertThat(TlsRptRecord.parse(text)).isNotNull();
  }

  @Property(tries = 300)
  void organizationalDomain_neverThrows(@ForAll("dmarcRecords") String text) {
    String name = text.replaceAll("[^A-Za-z0-9.-]", "").toLowerCase();
    assertThat(OrganizationalDomain.of(name)).isNotNull();
  }
}
