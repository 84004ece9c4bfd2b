package io.mxwatch.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.testworld.DnsFault;
import io.mxwatch.testworld.DnsWorld;
import io.mxwatch.testworld.DnssecFault;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class DnsSessionTest {
  @TempDir static Path dir;
  static DnsWorld world;
  static DnsService service;

  @BeforeAll
  static void startWorld() {
    world = new DnsWorld().start();
    world.zone("secure.test.").add("@ MX 10 mx1\nmx1 A 127.0.0.2\nalias CNAME mx1\n");
    world.zone("plain.test.").unsigned().add("@ MX 10 mx1\nmx1 A 127.0.0.3\n");
    world.zone("expired.test.").fault(DnssecFault.EXPIRED_SIGNATURES).add("@ MX 10 mx1\n");
    world.zone("future.test.").fault(DnssecFault.SIGNATURES_NOT_YET_VALID).add("@ MX 10 mx1\n");
    world.zone("mismatch.test.").fault(DnssecFault.DS_MISMATCH).add("@ MX 10 mx1\n");
    world.zone("stripped.test.").fault(DnssecFault.STRIPPED_SIGNATURES).add("@ MX 10 mx1\n");
    StringBuilder big = new StringBuilder("@ TXT");
    for (int i = 0; i < 12; i++) {
      big.append(" \"").append("x".repeat(250)).append('"');
    }
    world.zone("big.test.").add(big.toString());
    world.zone("slow.test.").timeout("@");
    world.zone("broken.test.").servfail("@");
    service = world.dnsService(dir);
  }

  @AfterAll
  static void stopWorld() {
    service.close();
    world.close();
  }

  static Name name(String text) throws Exception {
    return Name.fromString(text);
  }

  @Test
  void query_secureAnswer() throws Exception {
    DnsAnswer answer = service.newSession().query(name("secure.test."), Type.MX);
    assertThat(answer.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(answer.security()).isEqualTo(Security.SECURE);
    assertThat(answer.recordsAs(MXRecord.class)).hasSize(1);
    assertThat(answer.signatures()).isNotEmpty();
  }

  @Test
  void query_secureNxdomain() throws Exception {
    DnsAnswer answer = service.newSession().query(name("nothing.secure.test."), Type.A);
    assertThat(answer.outcome()).isEqualTo(Outcome.NXDOMAIN);
    assertThat(answer.security()).isEqualTo(Security.SECURE);
  }

  @Test
  void query_secureNodata() throws Exception {
    DnsAnswer answer = service.newSession().query(name("mx1.secure.test."), Type.AAAA);
    assertThat(answer.outcome()).isEqualTo(Outcome.NODATA);
    assertThat(answer.security()).isEqualTo(Security.SECURE);
  }

  @Test
  void query_followsCname() throws Exception {
    DnsAnswer answer = service.newSession().query(name("alias.secure.test."), Type.A);
    assertThat(answer.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(answer.cnameChain()).containsExactly(name("mx1.secure.test."));
    assertThat(answer.security()).isEqualTo(Security.SECURE);
  }

  @Test
  void query_unsignedZoneIsInsecure() throws Exception {
    DnsAnswer answer = service.newSession().query(name("plain.test."), Type.MX);
    assertThat(answer.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(answer.security()).isEqualTo(Security.INSECURE);
  }

  @Test
  void query_expiredSignaturesAreBogus() throws Exception {
    DnsAnswer answer = service.newSession().query(name("expired.test."), Type.MX);
    assertThat(answer.security()).isEqualTo(Security.BOGUS);
    assertThat(answer.edeCode()).isEqualTo(ExtendedErrorCodeOption.SIGNATURE_EXPIRED);
    assertThat(answer.inconclusive()).isFalse();
  }

  @Test
  void query_notYetValidSignaturesAreBogus() throws Exception {
    DnsAnswer answer = service.newSession().query(name("future.test."), Type.MX);
    assertThat(answer.security()).isEqualTo(Security.BOGUS);
    assertThat(answer.edeCode()).isEqualTo(ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID);
  }

  @Test
  void query_dsMismatchIsBogus() throws Exception {
    DnsAnswer answer = service.newSession().query(name("mismatch.test."), Type.MX);
    assertThat(answer.security()).isEqualTo(Security.BOGUS);
    assertThat(answer.edeCode()).isEqualTo(ExtendedErrorCodeOption.DNSKEY_MISSING);
    assertThat(answer.reason()).contains("matches the DS");
  }

  @Test
  void query_strippedSignaturesAreBogus() throws Exception {
    DnsAnswer answer = service.newSession().query(name("stripped.test."), Type.MX);
    assertThat(answer.security()).isEqualTo(Security.BOGUS);
    assertThat(answer.edeCode()).isEqualTo(ExtendedErrorCodeOption.RRSIGS_MISSING);
  }

  @Test
  void query_largeAnswerFallsBackToTcp() throws Exception {
    DnsAnswer answer = service.newSession().query(name("big.test."), Type.TXT);
    assertThat(answer.outcome()).isEqualTo(Outcome.ANSWER);
    assertThat(answer.recordsAs(TXTRecord.class).get(0).getStrings()).hasSize(12);
    assertThat(answer.security()).isEqualTo(Security.SECURE);
  }

  @Test
  void query_timeoutIsInconclusive() throws Exception {
    DnsAnswer answer = service.newSession().query(name("slow.test."), Type.MX);
    assertThat(answer.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(answer.inconclusive()).isTrue();
  }

  @Test
  void query_servfailIsInconclusive() throws Exception {
    DnsAnswer answer = service.newSession().query(name("broken.test."), Type.MX);
    assertThat(answer.outcome()).isEqualTo(Outcome.SERVFAIL);
    assertThat(answer.security()).isNotEqualTo(Security.BOGUS);
    assertThat(answer.inconclusive()).isTrue();
  }

  @Test
  void query_cachesWithinSession() throws Exception {
    DnsSession session = service.newSession();
    session.query(name("secure.test."), Type.MX);
    int sent = session.queriesSent();
    session.query(name("secure.test."), Type.MX);
    assertThat(session.queriesSent()).isEqualTo(sent);
    assertThat(sent).isPositive();
  }

  @Test
  void query_wrongIdIsFailure() throws Exception {
    try (DnsWorld lying = new DnsWorld().start()) {
      lying.zone("x.test.").add("@ MX 10 mx1");
      lying.faults(q -> DnsFault.WRONG_ID);
      try (DnsService dns = lying.dnsService(dir)) {
        DnsAnswer answer = dns.newSession().query(name("x.test."), Type.MX);
        assertThat(answer.inconclusive()).isTrue();
      }
    }
  }
}
