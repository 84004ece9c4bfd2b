package io.mxwatch.check.ipv6;

import static io.mxwatch.testworld.ScanRunner.findings;
import static io.mxwatch.testworld.ScanRunner.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.dns.DnsSettings;
import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.testworld.DnsFault;
import io.mxwatch.testworld.DnsWorld;
import io.mxwatch.testworld.ScanRunner;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * {@code ipv6.ns_aaaa} and {@code ipv6.ns_reach} on full scans. The name servers' AAAA records
 * point at {@code ::1}, where a second listener of the test world answers on a free port.
 */
class NameServerIpv6ChecksTest {
  @TempDir static Path dir;
  static DnsWorld world;
  static int nameServerPort;
  static ScanRunner allowing;

  static final String LOOPBACK_V6 = "::1";

  @BeforeAll
  static void startWorld() throws Exception {
    world = new DnsWorld().start();
    nameServerPort = world.listen(InetAddress.getByName("::1")).getPort();
    world.zone("v6.test.").add("@ NS ns1\n@ NS ns2\nns1 AAAA ::1\nns2 AAAA ::1\n@ MX 0 .\n");
    world.zone("onev6.test.").add("@ NS ns1\n@ NS ns2\nns1 AAAA ::1\nns2 A 127.0.0.1\n@ MX 0 .\n");
    world.zone("nov6.test.").add("@ NS ns1\nns1 A 127.0.0.1\n@ MX 0 .\n");
    world.zone("sub.v6.test.").add("@ NS ns1.v6.test.\n@ NS ns2.v6.test.\nwww MX 0 .\n");
    world.zone("slowns.test.").add("@ NS ns1\n@ NS ns2\nns1 AAAA ::1\nns2 A 127.0.0.1\n");
    world.zone("slowns.test.").timeout("ns2");
    allowing = new ScanRunner(settings(), ScanRunner.options(true));
  }

  static DnsSettings settings() {
    return world.dnsSettings(dir).withNameServerPort(nameServerPort);
  }

  @AfterEach
  void resetFaults() {
    world.faults(q -> DnsFault.NONE);
  }

  @AfterAll
  static void stopWorld() {
    allowing.close();
    world.close();
  }

  @Test
  void twoNameServersWithAaaa_passBoth() {
    ScanResult result = allowing.scan("v6.test");
    Finding aaaa = only(result, "ipv6.ns_aaaa");
    assertThat(aaaa.status()).isEqualTo(Status.PASS);
    assertThat(aaaa.summary()).startsWith("2 of 2 name servers");
    List<Finding> reach = findings(result, "ipv6.ns_reach");
    assertThat(reach)
        .extracting(Finding::target)
        .containsExactly("ns1.v6.test/" + LOOPBACK_V6, "ns2.v6.test/" + LOOPBACK_V6);
    assertThat(reach).allSatisfy(f -> assertThat(f.status()).isEqualTo(Status.PASS));
  }

  @Test
  void reach_sendsNonRecursiveSoaQuery() throws Exception {
    world.clearQueries();
    allowing.scan("v6.test");
    List<DnsWorld.Query> direct =
        world.queries().stream().filter(q -> !q.recursionDesired()).toList();
    assertThat(direct).hasSize(2);
    assertThat(direct)
        .allSatisfy(q -> assertThat(q.name()).isEqualTo(Name.fromString("v6.test.")))
        .allSatisfy(q -> assertThat(q.type()).isEqualTo(Type.SOA));
  }

  @Test
  void subdomainOfZone_usesZoneApexNameServers() {
    ScanResult result = allowing.scan("www.sub.v6.test");
    Finding aaaa = only(result, "ipv6.ns_aaaa");
    assertThat(aaaa.status()).isEqualTo(Status.PASS);
    assertThat(aaaa.details().get("zone")).isEqualTo("sub.v6.test");
  }

  @Test
  void oneNameServerWithAaaa_fails() {
    ScanResult result = allowing.scan("onev6.test");
    Finding aaaa = only(result, "ipv6.ns_aaaa");
    assertThat(aaaa.status()).isEqualTo(Status.FAIL);
    assertThat(aaaa.summary()).startsWith("1 of 2 name servers");
    assertThat(aaaa.advice()).contains("onev6.test");
    assertThat(only(result, "ipv6.ns_reach").status()).isEqualTo(Status.PASS);
  }

  @Test
  void noNameServerAaaa_fails() {
    ScanResult result = allowing.scan("nov6.test");
    assertThat(only(result, "ipv6.ns_aaaa").status()).isEqualTo(Status.FAIL);
    assertThat(only(result, "ipv6.ns_reach").status()).isEqualTo(Status.NOT_APPLICABLE);
  }

  @Test
  void aaaaLookupTimeout_isErrorWhenItDecides() {
    Finding aaaa = only(allowing.scan("slowns.test"), "ipv6.ns_aaaa");
    assertThat(aaaa.status()).isEqualTo(Status.ERROR);
    assertThat(aaaa.summary()).contains("ns2.slowns.test");
  }

  @Test
  void silentNameServer_failsReach() {
    world.faults(q -> q.getHeader().getFlag(Flags.RD) ? DnsFault.NONE : DnsFault.DROP);
    List<Finding> reach = findings(allowing.scan("v6.test"), "ipv6.ns_reach");
    assertThat(reach).hasSize(2);
    assertThat(reach).allSatisfy(f -> assertThat(f.status()).isEqualTo(Status.FAIL));
    assertThat(reach.get(0).summary()).contains("no DNS answer over IPv6");
  }

  @Test
  void refusingNameServer_warnsLame() {
    world.faults(q -> q.getHeader().getFlag(Flags.RD) ? DnsFault.NONE : DnsFault.REFUSED);
    List<Finding> reach = findings(allowing.scan("v6.test"), "ipv6.ns_reach");
    assertThat(reach).allSatisfy(f -> assertThat(f.status()).isEqualTo(Status.WARN));
    assertThat(reach.get(0).summary()).contains("REFUSED").contains("lame");
  }

  @Test
  void loopbackNotAllowed_isErrorWithoutQuery() {
    world.clearQueries();
    try (ScanRunner refusing = new ScanRunner(settings(), ScanRunner.options(false))) {
      List<Finding> reach = findings(refusing.scan("v6.test"), "ipv6.ns_reach");
      assertThat(reach).hasSize(2);
      assertThat(reach).allSatisfy(f -> assertThat(f.status()).isEqualTo(Status.ERROR));
      assertThat(reach.get(0).summary()).contains("loopback").contains("not probed");
    }
    assertThat(world.queries()).noneMatch(q -> !q.recursionDesired());
  }

  @Test
  void nsLookupTimeout_isErrorForBoth() throws Exception {
    Name zone = Name.fromString("v6.test.");
    world.faults(
        q ->
            q.getQuestion().getName().equals(zone) && q.getQuestion().getType() == Type.NS
                ? DnsFault.DROP
                : DnsFault.NONE);
    DnsSettings base = settings();
    DnsSettings quick =
        new DnsSettings(
            base.resolvers(),
            Duration.ofMillis(300),
            0,
            Duration.ofSeconds(30),
            base.trustAnchorFile(),
            base.clock(),
            base.nameServerPort());
    try (ScanRunner runner = new ScanRunner(quick, ScanRunner.options(true))) {
      ScanResult result = runner.scan("v6.test");
      assertThat(only(result, "ipv6.ns_aaaa").status()).isEqualTo(Status.ERROR);
      assertThat(only(result, "ipv6.ns_reach").status()).isEqualTo(Status.ERROR);
      assertThat(only(result, "ipv6.ns_aaaa").summary()).contains("NS");
    }
  }
}
