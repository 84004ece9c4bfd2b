package io.mxwatch.check.policy.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.FakeDns;
import io.mxwatch.net.AddressPolicy;
import io.mxwatch.testworld.CertFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpsPolicyFetcherTest {
  private static final String ADDRESS = "127.0.0.71";
  private static final String POLICY =
      "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 604800\r\n";
  private static final AddressPolicy LAB = new AddressPolicy(true);

  private static CertFactory.Issued ca;
  private static PolicyServer server;

  @BeforeAll
  static void startServer() {
    ca = CertFactory.ca("mta-sts test root", CertFactory.KeyType.EC_P256);
    server = PolicyServer.start(ADDRESS, ca, List.of("mta-sts.example.test"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static HttpsPolicyFetcher fetcher(CertFactory.Issued trusted) {
    return new HttpsPolicyFetcher(
        HttpsPolicyFetcher.Settings.defaults()
            .withPort(server.port())
            .withTrustStore(PolicyServer.trustStore(trusted))
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }

  private static FakeDns dns() {
    return new FakeDns().add("mta-sts.example.test", "A", ADDRESS);
  }

  @Test
  void fetch_returnsPolicyOverValidatedTls() {
    server.policy(POLICY);

    FetchResult result = fetcher(ca).fetch("example.test", dns(), LAB);

    assertThat(result).isInstanceOf(FetchResult.Fetched.class);
    FetchResult.Fetched fetched = (FetchResult.Fetched) result;
    assertThat(fetched.body()).isEqualTo(POLICY);
    assertThat(fetched.contentType()).startsWith("text/plain");
    assertThat(fetched.url())
        .isEqualTo("https://mta-sts.example.test:" + server.port() + "/.well-known/mta-sts.txt");
  }

  @Test
  void fetch_untrustedCertificateFailsConclusively() {
    server.policy(POLICY);
    CertFactory.Issued otherCa = CertFactory.ca("someone else", CertFactory.KeyType.EC_P256);

    FetchResult result = fetcher(otherCa).fetch("example.test", dns(), LAB);

    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.Failed.class,
            failed -> {
              assertThat(failed.conclusive()).isTrue();
              assertThat(failed.reason())
                  .isEqualTo(
                      "the certificate of mta-sts.example.test is not trusted because its issuer"
                          + " is unknown: it does not chain to a trusted root");
              assertThat(failed.detail()).contains("PKIX");
            });
  }

  @Test
  void fetch_expiredCertificateFails() {
    CertFactory.Issued expired =
        CertFactory.leaf(
            List.of("mta-sts.example.test"),
            CertFactory.keyPair(CertFactory.KeyType.EC_P256),
            ca,
            Instant.now().minus(Duration.ofDays(60)),
            Duration.ofDays(30));
    try (PolicyServer stale = PolicyServer.start("127.0.0.74", ca, expired)) {
      stale.policy(POLICY);
      HttpsPolicyFetcher fetcher =
          new HttpsPolicyFetcher(
              HttpsPolicyFetcher.Settings.defaults()
                  .withPort(stale.port())
                  .withTrustStore(PolicyServer.trustStore(ca)));
      FakeDns dns = new FakeDns().add("mta-sts.example.test", "A", "127.0.0.74");

      FetchResult result = fetcher.fetch("example.test", dns, LAB);

      assertThat(result)
          .isInstanceOfSatisfying(
              FetchResult.Failed.class,
              failed -> {
                assertThat(failed.conclusive()).isTrue();
                assertThat(failed.reason())
                    .isEqualTo(
                        "the certificate of mta-sts.example.test is not trusted because it has"
                            + " expired");
                assertThat(failed.detail()).isNotBlank();
              });
    }
  }

  @Test
  void fetch_certificateForAnotherNameFails() {
    try (PolicyServer wrongName =
        PolicyServer.start("127.0.0.72", ca, List.of("www.example.test"))) {
      wrongName.policy(POLICY);
      HttpsPolicyFetcher fetcher =
          new HttpsPolicyFetcher(
              HttpsPolicyFetcher.Settings.defaults()
                  .withPort(wrongName.port())
                  .withTrustStore(PolicyServer.trustStore(ca)));
      FakeDns dns = new FakeDns().add("mta-sts.example.test", "A", "127.0.0.72");

      FetchResult result = fetcher.fetch("example.test", dns, LAB);

      assertThat(result)
          .isInstanceOfSatisfying(
              FetchResult.Failed.class,
              failed -> {
                assertThat(failed.conclusive()).isTrue();
                assertThat(failed.reason())
                    .isEqualTo(
                        "the certificate of mta-sts.example.test is not trusted because it does"
                            + " not match the name mta-sts.example.test");
                assertThat(failed.detail()).isNotBlank();
              });
    }
  }

  @Test
  void fetch_doesNotFollowRedirects() {
    server.respond(301, Map.of("Location", "https://elsewhere.example/policy.txt"), "");

    FetchResult result = fetcher(ca).fetch("example.test", dns(), LAB);

    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.Failed.class,
            failed -> {
              assertThat(failed.conclusive()).isTrue();
              assertThat(failed.reason()).contains("301 redirect to https://elsewhere.example");
            });
  }

  @Test
  void fetch_httpErrorFails() {
    server.respond(404, Map.of(), "not here");

    FetchResult result = fetcher(ca).fetch("example.test", dns(), LAB);

    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.Failed.class,
            failed -> {
              assertThat(failed.conclusive()).isTrue();
              assertThat(failed.reason()).contains("404");
            });
  }

  @Test
  void fetch_oversizedPolicyFails() {
    server.policy(POLICY + "x".repeat(70_000));

    FetchResult result = fetcher(ca).fetch("example.test", dns(), LAB);

    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.Failed.class,
            failed -> {
              assertThat(failed.conclusive()).isTrue();
              assertThat(failed.reason()).contains("larger than 65536 bytes");
            });
  }

  @Test
  void fetch_missingHostFailsConclusively() {
    FetchResult result = fetcher(ca).fetch("example.test", new FakeDns(), LAB);

    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.Failed.class,
            failed -> {
              assertThat(failed.conclusive()).isTrue();
              assertThat(failed.reason()).contains("no A or AAAA record");
            });
  }

  @Test
  void fetch_dnsTimeoutIsInconclusive() {
    FakeDns dns = new FakeDns().timeout("mta-sts.example.test");

    FetchResult result = fetcher(ca).fetch("example.test", dns, LAB);

    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.Failed.class,
            failed -> {
              assertThat(failed.conclusive()).isFalse();
              assertThat(failed.reason()).contains("TIMEOUT");
            });
  }

  @Test
  void fetch_specialPurposeAddressRejectedByDefault() {
    server.policy(POLICY);

    FetchResult result = fetcher(ca).fetch("example.test", dns(), new AddressPolicy(false));

    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.Failed.class,
            failed -> {
              assertThat(failed.conclusive()).isFalse();
              assertThat(failed.reason()).contains("loopback");
            });
  }

  @Test
  void fetch_connectionRefusedIsInconclusive() {
    FakeDns dns = new FakeDns().add("mta-sts.example.test", "A", "127.0.0.73");

    FetchResult result = fetcher(ca).fetch("example.test", dns, LAB);

    assertThat(result)
        .isInstanceOfSatisfying(
            FetchResult.Failed.class,
            failed -> {
              assertThat(failed.conclusive()).isFalse();
            });
  }
}
