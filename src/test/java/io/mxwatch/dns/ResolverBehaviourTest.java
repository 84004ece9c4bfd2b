package io.mxwatch.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxResolver;
import io.mxwatch.testworld.DnsFault;
import io.mxwatch.testworld.DnsWorld;
import io.mxwatch.testworld.SilentDnsServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** How the DNS session treats resolvers and answers: transport, retries, budget, CNAMEs, faults. */
class ResolverBehaviourTest {
  @TempDir static Path dir;
  static DnsWorld world;
  static DnsService service;

  @BeforeAll
  static void startWorld() {
    world = new DnsWorld().start();
    world.zone("secure.test.").add("@ MX 10 mx1\nmx1 A 127.0.0.2\nalias CNAME mx1\n");
    world
        .zone("loop.test.")
        .add("@ MX 10 mx\nmx CNAME one\none CNAME two\ntwo CNAME one\nself CNAME self\n");
    StringBuilder chain = new StringBuilder("@ MX 10 c0\n");
    for (int i = 0; i < 10; i++) {
      chain.append("c").append(i).append(" CNAME c").append(i + 1).append('\n');
    }
    chain.append("c10 A 127.0.0.7\n");
    world.zone("chain.test.").add(chain.toString());
    world.zone("aliases.test.").add("mail CNAME secure.test.\n");
    world.zone("cnamemx.test.").add("@ MX 10 mail\nmail CNAME mx1.secure.test.\n");
    StringBuilder big = new StringBuilder("@ TXT");
    for (int i = 0; i < 12; i++) {
      big.append(" \"").append("x".repeat(250)).append('"');
    }
    world.zone("big.test.").add(big.toString());
    world.zone("dsa.test.").algorithm(DNSSEC.Algorithm.DSA).add("@ MX 10 mx\nmx A 127.0.0.3");
    world.zone("md5.test.").algorithm(DNSSEC.Algorithm.RSAMD5).add("@ MX 10 mx\nmx A 127.0.0.3");
    world.zone("lame.test.").add("@ MX 10 mx\nmx A 127.0.0.4\n");
    world
        .zone("dane.test.")
        .add("@ MX 10 mx\nmx A 127.0.0.5\n_25._tcp.mx TLSA 3 1 1 " + "ab".repeat(32))
        .servfail("_25._tcp.failing")
        .timeout("_25._tcp.slow");
    service = new DnsService(settings(List.of(world.address()), Duration.ofSeconds(2), 1));
  }

  @AfterEach
  void resetFaults() {
    world.faults(q -> DnsFault.NONE);
  }

  @AfterAll
  static void stopWorld() {
    service.close();
    world.close();
  }

  static DnsSettings settings(List<InetSocketAddress> resolvers, Duration timeout, int retries) {
    return new DnsSettings(
        resolvers,
        timeout,
        retries,
        Duration.ofSeconds(60),
        world.writeTrustAnchor(dir),
        Clock.systemUTC());
  }

  static Name name(String text) throws Exception {
    return Name.fromString(text);
  }

  @Test
  void edns_advertises1232WithDnssecOk() throws Exception {
    world.clearQueries();
    service.newSession().query(name("secure.test."), Type.MX);
    List<DnsWorld.Query> queries = world.queries();
    assertThat(queries).isNotEmpty();
    assertThat(queries).allSatisfy(q -> assertThat(q.udpSize()).isEqualTo(1232));
    assertThat(queries).allSatisfy(q -> assertThat(q.dnssecOk()).isTrue());
  }

  @Test
  void truncation_retriesOverTcp() throws Exception {
    world.clearQueries();
    DnsAnswer answer = service.newSession().query(name("big.test."), Type.TXT);
    assertThat(answer.recordsAs(TXTRecord.class).get(0).getStrings()).hasSize(12);
    List<DnsWorld.Query> txt = world.queries().stream().filter(q -> q.type() == Type.TXT).toList();
    assertThat(txt).extracting(DnsWorld.Query::tcp).containsExactly(false, true);
  }

  @Test
  void firstResolverSilent_secondAnswers() throws Exception {
    try (SilentDnsServer silent = SilentDnsServer.start();
        DnsService dns =
            new DnsService(
                settings(List.of(silent.address(), world.address()), Duration.ofMillis(300), 0))) {
      DnsAnswer answer = dns.newSession().query(name("secure.test."), Type.MX);
      assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.ANSWER);
      assertThat(answer.security()).isEqualTo(Security.SECURE);
      assertThat(silent.received()).as("queries the silent resolver received").isPositive();
    }
  }

  @Test
  void allResolversSilent_timeoutWithinBound() throws Exception {
    Duration timeout = Duration.ofMillis(200);
    try (SilentDnsServer first = SilentDnsServer.start();
        SilentDnsServer second = SilentDnsServer.start();
        DnsService dns =
            new DnsService(settings(List.of(first.address(), second.address()), timeout, 1))) {
      DnsSession session = dns.newSession();
      long start = System.nanoTime();
      DnsAnswer answer = session.query(name("secure.test."), Type.MX);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

      assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.TIMEOUT);
      assertThat(answer.inconclusive()).isTrue();
      // The session allows one validated lookup 4 rounds over every resolver and attempt.
      Duration bound = timeout.multipliedBy(2L * 2 * 4).plusSeconds(2);
      assertThat(elapsed).isLessThan(bound);
      assertThat(first.received()).isPositive();
      assertThat(second.received()).isPositive();
      assertNoDnsThreadsWithin(bound);
    }
  }

  @Test
  void budget_usedUpStopsQueries() throws Exception {
    try (SilentDnsServer silent = SilentDnsServer.start()) {
      DnsSettings tight =
          settings(List.of(silent.address()), Duration.ofMillis(200), 0)
              .withScanBudget(Duration.ofMillis(100));
      try (DnsService dns = new DnsService(tight)) {
        DnsSession session = dns.newSession();
        DnsAnswer first = session.query(name("secure.test."), Type.MX);
        assertThat(first.outcome()).isEqualTo(Outcome.TIMEOUT);
        int sent = session.queriesSent();

        DnsAnswer second = session.query(name("other.secure.test."), Type.A);
        assertThat(second.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(second.reason()).contains("budget");
        assertThat(session.queriesSent()).isEqualTo(sent);
      }
    }
  }

  @Test
  void session_countsQueriesAndTime() throws Exception {
    DnsSession session = service.newSession();
    assertThat(session.queriesSent()).isZero();
    session.query(name("secure.test."), Type.MX);
    assertThat(session.queriesSent()).isPositive();
    assertThat(session.timeSpent()).isPositive();
  }

  @Test
  void cnameLoop_isFailure() throws Exception {
    DnsAnswer answer = service.newSession().query(name("one.loop.test."), Type.A);
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.FAILED);
    assertThat(answer.reason()).contains("CNAME loop");
  }

  @Test
  void cnameToItself_isFailure() throws Exception {
    DnsAnswer answer = service.newSession().query(name("self.loop.test."), Type.A);
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.FAILED);
    assertThat(answer.reason()).contains("CNAME loop");
  }

  @Test
  void cnameChainTooLong_isFailure() throws Exception {
    DnsAnswer answer = service.newSession().query(name("c0.chain.test."), Type.A);
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.FAILED);
    assertThat(answer.reason()).contains("CNAME chain longer than " + DnsSession.MAX_CNAME_HOPS);
  }

  @Test
  void cnameChainWithinLimit_isFollowed() throws Exception {
    DnsAnswer answer = service.newSession().query(name("c3.chain.test."), Type.A);
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.ANSWER);
    assertThat(answer.cnameChain()).hasSize(7);
    assertThat(answer.canonicalName()).isEqualTo(name("c10.chain.test."));
    assertThat(answer.security()).isEqualTo(Security.SECURE);
  }

  @Test
  void domainThatIsCname_getsTargetMx() throws Exception {
    MxResolution mx = MxResolver.resolve(name("mail.aliases.test."), service.newSession());
    assertThat(mx).isInstanceOf(MxResolution.Exchangers.class);
    assertThat(mx.answer().cnameChain()).containsExactly(name("secure.test."));
    assertThat(mx.answer().recordsAs(MXRecord.class).get(0).getTarget())
        .isEqualTo(name("mx1.secure.test."));
    assertThat(mx.targets().get(0).addresses()).hasSize(1);
  }

  @Test
  void mxTargetThatIsCname_addressLookupFollowsIt() throws Exception {
    MxResolution mx = MxResolver.resolve(name("cnamemx.test."), service.newSession());
    assertThat(mx.targets().get(0).isCname()).isTrue();
    assertThat(mx.targets().get(0).ipv4().cnameChain()).containsExactly(name("mx1.secure.test."));
    assertThat(mx.targets().get(0).addresses()).hasSize(1);
  }

  @Test
  void mxTargetInCnameLoop_isFailedLookup() throws Exception {
    MxResolution mx = MxResolver.resolve(name("loop.test."), service.newSession());
    DnsAnswer ipv4 = mx.targets().get(0).ipv4();
    assertThat(ipv4.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(ipv4.bogus()).isFalse();
    assertThat(ipv4.reason()).contains("CNAME loop");
  }

  @Test
  void unsupportedDsaAlgorithm_isInsecure() throws Exception {
    // RFC 6840 §5.2: a zone whose DS records all use unsupported algorithms is insecure.
    DnsAnswer answer = service.newSession().query(name("dsa.test."), Type.MX);
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.ANSWER);
    assertThat(answer.security()).isEqualTo(Security.INSECURE);
  }

  @Test
  void unsupportedRsaMd5Algorithm_isInsecure() throws Exception {
    DnsAnswer answer = service.newSession().query(name("md5.test."), Type.MX);
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.ANSWER);
    assertThat(answer.security()).isEqualTo(Security.INSECURE);
  }

  @Test
  void dnskeyLookupsDropped_isTimeoutNotBogus() throws Exception {
    world.faults(q -> isKeyQuery(q, "lame.test.") ? DnsFault.DROP : DnsFault.NONE);
    try (DnsService dns =
        new DnsService(settings(List.of(world.address()), Duration.ofMillis(300), 0))) {
      DnsAnswer answer = dns.newSession().query(name("lame.test."), Type.MX);
      assertThat(answer.bogus()).isFalse();
      assertThat(answer.inconclusive()).isTrue();
      assertThat(answer.reason()).containsAnyOf("DNSKEY", "DS");
    }
  }

  @Test
  void dsLookupsServfail_isErrorNotBogus() throws Exception {
    world.faults(q -> isKeyQuery(q, "lame.test.") ? DnsFault.SERVFAIL : DnsFault.NONE);
    DnsAnswer answer = service.newSession().query(name("lame.test."), Type.MX);
    assertThat(answer.bogus()).isFalse();
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.SERVFAIL);
    assertThat(answer.reason()).contains("SERVFAIL");
  }

  @Test
  void tlsaServfail_isNotNodata() throws Exception {
    DnsAnswer answer = service.newSession().query(name("_25._tcp.failing.dane.test."), Type.TLSA);
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.SERVFAIL);
    assertThat(answer.absent()).isFalse();
    assertThat(answer.inconclusive()).isTrue();
  }

  @Test
  void tlsaTimeout_isNotNodata() throws Exception {
    try (DnsService dns =
        new DnsService(settings(List.of(world.address()), Duration.ofMillis(300), 0))) {
      DnsAnswer answer = dns.newSession().query(name("_25._tcp.slow.dane.test."), Type.TLSA);
      assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.TIMEOUT);
      assertThat(answer.absent()).isFalse();
      assertThat(answer.inconclusive()).isTrue();
    }
  }

  @Test
  void tlsaPresent_isSecureAnswer() throws Exception {
    DnsAnswer answer = service.newSession().query(name("_25._tcp.mx.dane.test."), Type.TLSA);
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.ANSWER);
    assertThat(answer.security()).isEqualTo(Security.SECURE);
  }

  @Test
  void negativeAnswer_carriesDenialSignatures() throws Exception {
    DnsAnswer answer = service.newSession().query(name("nothing.secure.test."), Type.TXT);
    assertThat(answer.outcome()).as(answer.describe()).isEqualTo(Outcome.NXDOMAIN);
    assertThat(answer.signatures())
        .extracting(s -> s.getTypeCovered())
        .contains(Type.NSEC, Type.SOA);
  }

  static boolean isKeyQuery(org.xbill.DNS.Message query, String zone) {
    try {
      var question = query.getQuestion();
      return (question.getType() == Type.DS || question.getType() == Type.DNSKEY)
          && question.getName().equals(Name.fromString(zone));
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * Waits until no virtual thread of the DNS executor ({@code dns-N}) is left, and fails when one
   * still runs after {@code bound}. Virtual threads are not in {@link Thread#getAllStackTraces}, so
   * this reads a JSON thread dump, which lists the threads of every executor.
   */
  static void assertNoDnsThreadsWithin(Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    List<String> names = dnsThreads();
    while (!names.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      names = dnsThreads();
    }
    assertThat(names).as("DNS threads still running after %s", bound).isEmpty();
  }

  static List<String> dnsThreads() throws Exception {
    Path dump = Files.createTempFile("threads", ".json");
    Files.delete(dump);
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
    String json = Files.readString(dump);
    Files.delete(dump);
    // Guards the pattern below: the dump must list this thread in the same form.
    assertThat(json).contains("\"name\": \"" + Thread.currentThread().getName() + "\"");
    Matcher matcher = Pattern.compile("\"name\": \"(dns-\\d+)\"").matcher(json);
    return matcher.results().map(m -> m.group(1)).toList();
  }
}
