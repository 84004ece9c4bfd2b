package io.mxwatch.check.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.auth.AuthModule;
import io.mxwatch.check.policy.mtasts.HttpsPolicyFetcher;
import io.mxwatch.check.policy.mtasts.PolicyServer;
import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.scan.DomainSettings;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.testworld.CertFactory;
import io.mxwatch.testworld.DnsWorld;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth and policy modules against the in-process DNSSEC world: every lookup goes through
 * mxwatch's validating resolver on loopback, and the MTA-STS policy comes from a local HTTPS
 * server.
 */
class MailAuthWorldTest {
  private static final String ED25519 =
      "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  @TempDir static Path directory;

  private static DnsWorld world;
  private static DnsService dnsService;
  private static CertFactory.Issued ca;
  private static PolicyServer policyServer;
  private static int policyPort;

  @BeforeAll
  static void startWorld() {
    world = new DnsWorld().start();
    world
        .zone("mail.test.")
        .add(
            """
            @ MX 10 mx1
            mx1 A 127.0.0.81
            @ TXT "v=spf1 include:_spf.mail.test" " ~all"
            _spf TXT "v=spf1 ip4:192.0.2.0/24 -all"
            _dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@reports.other.test"
            s1._domainkey TXT "%s"
            _mta-sts TXT "v=STSv1; id=20240101;"
            mta-sts A 127.0.0.82
            _smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@mail.test"
            """
                .formatted(ED25519));
    world.zone("other.test.").add("*._report._dmarc.reports TXT \"v=DMARC1\"");
    world
        .zone("nullmx.test.")
        .add("@ MX 0 .\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject\"");
    world
        .zone("xn--bcher-kva.test.")
        .add(
            """
            @ MX 10 mx
            mx A 127.0.0.83
            @ TXT "v=spf1 mx ?all"
            """);
    dnsService = world.dnsService(directory);

    ca = CertFactory.ca("world policy root", CertFactory.KeyType.EC_P256);
    policyServer = PolicyServer.start("127.0.0.82", ca, List.of("mta-sts.mail.test"));
    policyServer.policy("version: STSv1\nmode: enforce\nmx: mx1.mail.test\nmax_age: 1209600\n");
    policyPort = policyServer.port();
  }

  @AfterAll
  static void stopWorld() throws Exception {
    policyServer.close();
    dnsService.close();
    world.close();
  }

  private static Map<String, Finding> scan(String domain, List<String> selectors) {
    DomainName name = DomainName.parse(domain);
    ScanContext context =
        new ScanContext(
            name.name(),
            name.unicode(),
            dnsService.newSession(),
            ScanOptions.defaults().withAllowPrivate(true),
            new DomainSettings(selectors, List.of()),
            Clock.systemUTC(),
            null,
            null);
    HttpsPolicyFetcher fetcher =
        new HttpsPolicyFetcher(
            HttpsPolicyFetcher.Settings.defaults()
                .withPort(policyPort)
                .withTrustStore(PolicyServer.trustStore(ca)));
    List<Finding> findings = new ArrayList<>(new AuthModule().run(context));
    findings.addAll(new PolicyModule(fetcher).run(context));
    Map<String, Finding> byCheck = new LinkedHashMap<>();
    findings.forEach(f -> byCheck.put(f.check(), f));
    return byCheck;
  }

  @Test
  void scan_wellConfiguredDomainPassesEveryCheck() {
    Map<String, Finding> findings = scan("mail.test", List.of("s1"));

    assertThat(findings.values())
        .allSatisfy(
            f -> assertThat(f.status()).as(f.check() + ": " + f.summary()).isEqualTo(Status.PASS));
    assertThat(findings).hasSize(8);
    assertThat(findings.get("auth.spf_policy").summary()).contains("1 of 10 DNS lookups");
  }

  @Test
  void scan_nullMxDomain() {
    Map<String, Finding> findings = scan("nullmx.test", List.of());

    assertThat(findings.get("auth.spf").status()).isEqualTo(Status.PASS);
    assertThat(findings.get("auth.spf_policy").status()).isEqualTo(Status.PASS);
    assertThat(findings.get("auth.dmarc_policy").status()).isEqualTo(Status.PASS);
    assertThat(findings.get("auth.dkim").status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(findings.get("mtasts.policy").status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(findings.get("tlsrpt.record").status()).isEqualTo(Status.NOT_APPLICABLE);
  }

  @Test
  void scan_idnDomainWithWeakPolicies() {
    Map<String, Finding> findings = scan("bücher.test", List.of());

    assertThat(findings.get("auth.spf").target()).isEqualTo("xn--bcher-kva.test");
    assertThat(findings.get("auth.spf_policy").status()).isEqualTo(Status.FAIL);
    assertThat(findings.get("auth.dmarc").status()).isEqualTo(Status.FAIL);
    assertThat(findings.get("auth.dmarc").advice()).contains("_dmarc.xn--bcher-kva.test");
    assertThat(findings.get("auth.dkim").status()).isEqualTo(Status.FAIL);
    assertThat(findings.get("mtasts.policy").status()).isEqualTo(Status.INFO);
    assertThat(findings.get("tlsrpt.record").status()).isEqualTo(Status.INFO);
  }
}
