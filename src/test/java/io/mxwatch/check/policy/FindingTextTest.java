package io.mxwatch.check.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.FakeDns;
import io.mxwatch.check.policy.mtasts.FetchResult;
import io.mxwatch.model.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the findings of the auth and policy checks over many domains, good and broken, and checks
 * the text a mail admin reads: advice is one line of plain text, and so is every summary.
 */
class FindingTextTest {
  private static final String DOMAIN = "d.example";
  private static final String URL = "https://mta-sts.d.example/.well-known/mta-sts.txt";
  private static final String ED25519 =
      "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  private static final List<String> SPF =
      List.of(
          "v=spf1 -all",
          "v=spf1",
          "v=spf1 +all",
          "v=spf1 mx ?all",
          "v=spf1 ip4:0.0.0.0/0 -all",
          "v=spf1 ptr -all",
          "v=spf1 redirect=",
          "v=spf1 include:",
          "v=spf1 include:missing.example -all",
          "v=spf1 include:d.example -all",
          "v=spf1 a:n1.example a:n2.example a:n3.example -all",
          "v=spf1 redirect=%{l}.x.example",
          "v=spf1 mx -al",
          "v=spf1 mx\t-all");

  private static final List<String> DMARC =
      List.of(
          "v=DMARC1; p=reject",
          "v=DMARC1; p=none",
          "v=DMARC1; rua=mailto:r@d.example",
          "v=DMARC1; sp=reject",
          "v=DMARC1; p=bogus",
          "v=DMARC1; p=reject; pct=0",
          "v=DMARC1; p=reject; sp=none; np=none; t=y",
          "v=DMARC1; p=quarantine; rua=mailto:r@reports.example.net",
          "v=DMARC1; p=reject; pct=150; rua=mailto:not a uri");

  private static final List<String> DKIM =
      List.of(ED25519, "v=DKIM1; p=", "v=DKIM1; k=rsa; p=AAAA", "v=DKIM1; h=sha1; p=abc=");

  private static final List<FetchResult> FETCHES =
      List.of(
          policy("text/plain", "enforce", 604800),
          policy("text/plain", "testing", 604800),
          policy("text/plain", "none", 604800),
          policy(null, "enforce", 300),
          new FetchResult.Fetched(URL, "text/html", "<html>\n<body>not here</body>\n</html>\n"),
          new FetchResult.Failed(URL, true, "HTTP status 404 instead of 200"),
          new FetchResult.Failed(URL, false, "timed out: Read timed out"));

  private static final List<String> TLSRPT =
      List.of("v=TLSRPTv1; rua=mailto:tls@d.example", "v=TLSRPTv1;", "v=tlsrptv1; rua=x");

  private static FetchResult policy(String contentType, String mode, long maxAge) {
    return new FetchResult.Fetched(
        URL,
        contentType,
        "version: STSv1\r\nmode: " + mode + "\r\nmx: other.example\r\nmax_age: " + maxAge + "\r\n");
  }

  private static FakeDns base() {
    return new FakeDns()
        .add(DOMAIN, "MX", "10 mx.d.example.")
        .add("mx.d.example", "A", "192.0.2.1");
  }

  /** Returns one domain per record variant, with the other records left as in {@link #base}. */
  static Stream<Arguments> scenarios() {
    List<Arguments> scenarios = new ArrayList<>();
    scenarios.add(Arguments.of("empty zone", (Consumer<FakeDns>) dns -> {}, FETCHES.get(0)));
    scenarios.add(
        Arguments.of(
            "null MX", (Consumer<FakeDns>) dns -> dns.add(DOMAIN, "MX", "0 ."), FETCHES.get(0)));
    for (String spf : SPF) {
      scenarios.add(
          Arguments.of(
              "SPF " + spf, (Consumer<FakeDns>) dns -> dns.txt(DOMAIN, spf), FETCHES.get(0)));
    }

    scenarios.add(
        Arguments.of(
            "two SPF records",
            (Consumer<FakeDns>) dns -> dns.txt(DOMAIN, "v=spf1 -all").txt(DOMAIN, "v=spf1 ~all"),
            FETCHES.get(0)));

    for (String dmarc : DMARC) {
      scenarios.add(
          Arguments.of(
              "DMARC " + dmarc,
              (Consumer<FakeDns>) dns -> dns.txt("_dmarc.d.example", dmarc),
              FETCHES.get(0)));
    }

    for (String key : DKIM) {
      scenarios.add(
          Arguments.of(
              "DKIM " + key,
              (Consumer<FakeDns>) dns -> dns.txt("s1._domainkey.d.example", key),
              FETCHES.get(0)));
    }

    for (FetchResult fetch : FETCHES) {
      scenarios.add(
          Arguments.of(
              "MTA-STS " + fetch,
              (Consumer<FakeDns>) dns -> dns.txt("_mta-sts.d.example", "v=STSv1; id=1;"),
              fetch));
    }
    for (String sts : List.of("v=stsv1; id=1;", "v=STSv1; id=;")) {
      scenarios.add(
          Arguments.of(
              "MTA-STS record " + sts,
              (Consumer<FakeDns>) dns -> dns.txt("_mta-sts.d.example", sts),
              FETCHES.get(0)));
    }

    for (String rpt : TLSRPT) {
      scenarios.add(
          Arguments.of(
              "TLS-RPT " + rpt,
              (Consumer<FakeDns>) dns -> dns.txt("_smtp._tls.d.example", rpt),
              FETCHES.get(0)));
    }

    scenarios.add(
        Arguments.of(
            "lookups time out",
            (Consumer<FakeDns>)
                dns ->
                    dns.timeout(DOMAIN, "TXT")
                        .timeout("_dmarc.d.example", "TXT")
                        .timeout("s1._domainkey.d.example", "TXT")
                        .timeout("_smtp._tls.d.example", "TXT"),
            FETCHES.get(0)));
    return scenarios.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void findings_textIsOnePlainLine(String name, Consumer<FakeDns> setup, FetchResult fetch) {
    FakeDns dns = base();
    setup.accept(dns);

    List<Finding> findings =
        List.copyOf(ModuleScan.scan(dns, DOMAIN, List.of("s1"), (d, r, p) -> fetch).values());

    assertThat(findings).hasSize(8);
    for (Finding finding : findings) {
      String label = finding.check() + " (" + finding.status().wireName() + ")";
      assertOneLine(label + " summary", finding.summary());
      if (finding.advice() != null) {
        assertOneLine(label + " advice", finding.advice());
      }
    }
  }

  private static void assertOneLine(String label, String text) {
    assertThat(text).as(label).isNotBlank();
    assertThat(text).as(label).doesNotContain("\n");
    assertThat(text).as(label).doesNotContain("\r");
    assertThat(text).as(label).doesNotContain("\t");
    assertThat(text).as(label).isEqualTo(text.strip());
    // The word null is a missing value printed as text, except in "null MX" (RFC 7505).
    assertThat(text).as(label).doesNotContainPattern("\\bnull\\b(?! MX)");
  }
}
