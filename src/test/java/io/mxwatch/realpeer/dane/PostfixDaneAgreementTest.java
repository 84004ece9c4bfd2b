package io.mxwatch.realpeer.dane;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.check.dane.DaneChecks;
import io.mxwatch.dns.DnsSettings;
import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.realpeer.PostfixInstance;
import io.mxwatch.realpeer.RealPeers;
import io.mxwatch.realpeer.dns.DnsPeers;
import io.mxwatch.realpeer.dns.DnsPeers.LeafZone;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.testworld.ScanRunner;
import io.mxwatch.tls.TestPki;
import io.mxwatch.tls.TestPki.Issued;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * mxwatch's DANE verdicts against Postfix's own DANE client. Postfix instances on 127.0.0.x:25 send
 * certificates from a test CA. Knot serves signed zones with the TLSA records of each case, and
 * Unbound validates them from the private root. posttls-finger, the DANE client that Postfix
 * senders use, judges each mail domain through that Unbound, and mxwatch scans the same domain
 * through the same Unbound listener. Any disagreement on {@code dane.exists} or {@code dane.valid}
 * fails the suite, and the agreement table goes to standard output.
 *
 * <p>The verdicts compared: {@code dane.exists} passes exactly when posttls-finger lists a
 * DNSSEC-signed TLSA RRset. Its info (TLSA records in an unsigned zone, ignored by senders) and its
 * fail for a missing RRset both mean that posttls-finger finds none. {@code dane.valid} passes when
 * posttls-finger reports a verified connection. It fails with "no usable TLSA record" when
 * posttls-finger finds all records unusable, and with "TLSA mismatch" when posttls-finger reports
 * an untrusted connection despite usable records. It is not applicable when posttls-finger found no
 * secure TLSA RRset and fell back to its secure level.
 */
@Tag("real-peer")
class PostfixDaneAgreementTest {
  static final String INSTALL = "src/test/resources/realpeer/install-dane-peers.sh";

  /** Unbound's port-53 listener, the only name server in posttls-finger's resolv.conf. */
  static final String PORT_53_ADDRESS = "127.0.0.155";

  /** A loopback address where no name server listens, for the negative control. */
  static final String SILENT_ADDRESS = "127.0.0.159";

  /** The MX of every case but one: its leaf names every MX host of those cases. */
  static final String MAIN_MX = "127.0.0.71";

  /** The MX whose leaf names another host, for the DANE-TA name check. */
  static final String OTHER_NAME_MX = "127.0.0.72";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path work;

  static DnsPeers dns;
  static final List<PostfixInstance> POSTFIX = new ArrayList<>();
  static PosttlsFinger posttlsFinger;
  static ScanRunner scanner;
  static final Map<String, ScanResult> SCANS = new LinkedHashMap<>();
  static final List<Row> TABLE = new ArrayList<>();

  /**
   * One DANE case: a mail domain {@code <domain>} whose MX is {@code mx.<domain>}.
   *
   * @param label the case as the table shows it
   * @param domain the mail domain, a zone of its own below {@code test.}
   * @param signed whether the zone is DNSSEC-signed
   * @param address the MX host's address
   * @param tlsa the TLSA RRset at {@code _25._tcp.mx.<domain>}, in presentation form
   * @param tlsaVerdict what posttls-finger should find: {@code secure} or {@code none}
   * @param authentication what posttls-finger should conclude (see {@link PosttlsFinger.Verdict})
   */
  record DaneCase(
      String label,
      String domain,
      boolean signed,
      String address,
      List<String> tlsa,
      String tlsaVerdict,
      String authentication) {
    String mx() {
      return "mx." + domain;
    }

    LeafZone zone() {
      List<String> records = new ArrayList<>();
      records.add(domain + ". IN MX 10 " + mx() + ".");
      records.add(mx() + ". IN A " + address);
      for (String rdata : tlsa) {
        records.add("_25._tcp." + mx() + ". IN TLSA " + rdata);
      }
      return new LeafZone(domain, signed, records);
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** One row of the agreement table. */
  record Row(String label, String check, String mxwatch, String posttlsFinger, boolean agree) {}

  static List<DaneCase> allCases;

  @BeforeAll
  static void startPeers() throws Exception {
    RealPeers.requireRoot();
    RealPeers.requireProgram("/usr/sbin/postfix", INSTALL);
    RealPeers.requireProgram(PosttlsFinger.PROGRAM, INSTALL);
    RealPeers.requireProgram(PosttlsFinger.STRACE, INSTALL);
    RealPeers.requireProgram(PosttlsFinger.UNSHARE, INSTALL);
    DnsPeers.requireTools();

    Pki pki = new Pki();
    allCases = pki.cases();
    dns =
        DnsPeers.start(
            Files.createDirectories(work.resolve("dns")),
            allCases.stream().map(DaneCase::zone).toList(),
            Optional.of(PORT_53_ADDRESS));
    POSTFIX.add(
        PostfixInstance.builder("mx-dane", MAIN_MX)
            .certificate(pki.leaf.key(), List.of(pki.leaf.certificate(), pki.intermediate()))
            .start(work));
    POSTFIX.add(
        PostfixInstance.builder("mx-dane-other-name", OTHER_NAME_MX)
            .certificate(
                pki.otherNameLeaf.key(),
                List.of(pki.otherNameLeaf.certificate(), pki.intermediate()))
            .start(work));
    posttlsFinger =
        new PosttlsFinger(work.resolve("posttls-finger"), InetAddress.getByName(PORT_53_ADDRESS));

    InetSocketAddress resolver = dns.port53Resolver().orElseThrow();
    DnsSettings settings =
        new DnsSettings(
                List.of(resolver),
                Duration.ofSeconds(3),
                1,
                Duration.ofSeconds(60),
                dns.trustAnchor(),
                Clock.systemUTC())
            .withNameServerPort(dns.authoritativePort());
    ScanOptions options =
        ScanOptions.defaults()
            .withAllowPrivate(true)
            .withSmtpPort(25)
            .withSmtpTimeout(Duration.ofSeconds(10));
    scanner = new ScanRunner(settings, options, List.of(new DaneChecks()));
  }

  @AfterAll
  static void stopPeers() throws Exception {
    printTable();
    if (scanner != null) {
      scanner.close();
    }
    for (PostfixInstance instance : POSTFIX) {
      instance.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  static Stream<DaneCase> cases() {
    return allCases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verdicts_agreeWithPosttlsFinger(DaneCase danecase) throws Exception {
    long logBefore = Files.size(dns.resolverLog());
    PosttlsFinger.Run run = posttlsFinger.check(danecase.domain());
    String queries = newLogText(logBefore);
    PosttlsFinger.Verdict judged = run.verdict();

    // Every packet stayed on loopback, and the queries reached the test's Unbound.
    assertThat(run.nonLoopback()).as("destinations of posttls-finger").isEmpty();
    assertThat(run.destinations())
        .as("posttls-finger asked Unbound and connected to the MX")
        .contains(PORT_53_ADDRESS + ":53", danecase.address() + ":25");
    assertThat(queries).as("Unbound's query log").contains(" " + danecase.domain() + ". MX IN");

    ScanResult result = scan(danecase.domain());
    Finding exists = ScanRunner.only(result, "dane.exists");
    Finding valid = ScanRunner.only(result, "dane.valid");
    String mxwatchTlsa = tlsaVerdict(exists);
    String mxwatchAuthentication = authenticationVerdict(valid);
    record(danecase.label(), "dane.exists", mxwatchTlsa, judged.tlsa(), judged.tlsaDetail());
    record(
        danecase.label(),
        "dane.valid",
        mxwatchAuthentication,
        judged.authentication(),
        judged.detail());

    // The judge must see the case as built, or agreement would prove nothing.
    assertThat(judged.tlsa())
        .as("posttls-finger TLSA:\n" + run.output())
        .isEqualTo(danecase.tlsaVerdict());
    assertThat(judged.authentication())
        .as("posttls-finger:\n" + run.output())
        .isEqualTo(danecase.authentication());
    assertThat(mxwatchTlsa).as(exists.summary()).isEqualTo(judged.tlsa());
    assertThat(mxwatchAuthentication).as(valid.summary()).isEqualTo(judged.authentication());
  }

  /**
   * Postfix does not judge readiness for the next key change, so {@code dane.rollover} is checked
   * against the cases' design: a published next key passes, a lone current key warns.
   */
  @Test
  void rollover_nextKeyPassesSingleKeyWarns() {
    Finding single = ScanRunner.only(scan(caseOf("a").domain()), "dane.rollover");
    Finding ready = ScanRunner.only(scan(caseOf("h").domain()), "dane.rollover");
    Finding anchor = ScanRunner.only(scan(caseOf("c").domain()), "dane.rollover");
    recordExpected(caseOf("a").label(), single, Status.WARN);
    recordExpected(caseOf("h").label(), ready, Status.PASS);
    recordExpected(caseOf("c").label(), anchor, Status.PASS);

    assertThat(single.status()).as(single.summary()).isEqualTo(Status.WARN);
    assertThat(ready.status()).as(ready.summary()).isEqualTo(Status.PASS);
    assertThat(anchor.status()).as(anchor.summary()).isEqualTo(Status.PASS);
  }

  /**
   * With a resolv.conf that names a loopback address where no name server listens, posttls-finger
   * must fail its MX lookup: it has no other way to resolve. strace shows each of its DNS packets
   * going to that address, and none of them is in Unbound's query log.
   */
  @Test
  void negativeControl_silentResolverResolvesNothing() throws Exception {
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName(SILENT_ADDRESS), 53))) {
      // Bound: nothing else listens there, so the control is silent as intended.
    }
    PosttlsFinger silent =
        new PosttlsFinger(
            work.resolve("posttls-finger-silent"), InetAddress.getByName(SILENT_ADDRESS));
    String domain = caseOf("a").domain();
    long logBefore = Files.size(dns.resolverLog());

    PosttlsFinger.Run run = silent.check(domain);

    String outcome = lookupOutcome(run);
    record(
        "control: resolv.conf names " + SILENT_ADDRESS,
        "MX lookup",
        "(not run)",
        outcome + " (expected: name service error)",
        outcome.equals("name service error"));
    assertThat(run.output()).contains("Name service error for name=" + domain + " type=MX");
    assertThat(run.destinations()).isNotEmpty().allMatch(d -> d.equals(SILENT_ADDRESS + ":53"));
    assertThat(newLogText(logBefore)).doesNotContain(domain + ". MX IN");
  }

  private static String lookupOutcome(PosttlsFinger.Run run) {
    return run.output().contains("Name service error") ? "name service error" : run.output();
  }

  /** mxwatch's {@code dane.exists} in posttls-finger's terms: a secure TLSA RRset or none. */
  static String tlsaVerdict(Finding exists) {
    return switch (exists.status()) {
      case PASS -> "secure";
      // INFO: TLSA records in an unsigned zone, which DANE clients ignore (RFC 7672 §2.2).
      case INFO -> "none";
      case FAIL ->
          exists.summary().startsWith("no TLSA record") ? "none" : "fail: " + exists.summary();
      default -> exists.status().wireName() + ": " + exists.summary();
    };
  }

  /** mxwatch's {@code dane.valid} in posttls-finger's terms. */
  static String authenticationVerdict(Finding valid) {
    String summary = valid.summary();
    if (valid.status() == Status.PASS) {
      return "match";
    }
    if (valid.status() == Status.NOT_APPLICABLE) {
      return "no DANE";
    }
    if (valid.status() == Status.FAIL && summary.startsWith("no usable TLSA record")) {
      return "unusable";
    }
    if (valid.status() == Status.FAIL && summary.startsWith("TLSA mismatch")) {
      return "mismatch";
    }
    return valid.status().wireName() + ": " + summary;
  }

  static synchronized ScanResult scan(String domain) {
    return SCANS.computeIfAbsent(domain, scanner::scan);
  }

  static DaneCase caseOf(String letter) {
    return allCases.stream()
        .filter(c -> c.label().startsWith(letter + " "))
        .findFirst()
        .orElseThrow();
  }

  private static String newLogText(long from) throws IOException {
    byte[] log = Files.readAllBytes(dns.resolverLog());
    return new String(log, (int) from, log.length - (int) from, StandardCharsets.UTF_8);
  }

  static synchronized void record(
      String label, String check, String mxwatch, String judged, String detail) {
    TABLE.add(new Row(label, check, mxwatch, judged + " (" + detail + ")", mxwatch.equals(judged)));
  }

  static synchronized void record(
      String label, String check, String mxwatch, String judged, boolean agree) {
    TABLE.add(new Row(label, check, mxwatch, judged, agree));
  }

  static synchronized void recordExpected(String label, Finding finding, Status expected) {
    TABLE.add(
        new Row(
            label,
            "dane.rollover",
            finding.status().wireName(),
            "not judged by Postfix; expected " + expected.wireName(),
            finding.status() == expected));
  }

  static synchronized void printTable() {
    if (TABLE.isEmpty()) {
      return;
    }
    int labelWidth = TABLE.stream().mapToInt(r -> r.label().length()).max().orElse(4);
    int checkWidth = TABLE.stream().mapToInt(r -> r.check().length()).max().orElse(5);
    int mxWidth = Math.max(7, TABLE.stream().mapToInt(r -> r.mxwatch().length()).max().orElse(7));
    String format =
        "%-" + labelWidth + "s | %-" + checkWidth + "s | %-" + mxWidth + "s | %-5s | %s%n";
    StringBuilder table = new StringBuilder("\nDANE agreement: mxwatch against posttls-finger\n");
    table.append(
        String.format(Locale.ROOT, format, "case", "check", "mxwatch", "agree", "posttls-finger"));
    for (Row row : TABLE) {
      table.append(
          String.format(
              Locale.ROOT,
              format,
              row.label(),
              row.check(),
              row.mxwatch(),
              row.agree() ? "yes" : "NO",
              row.posttlsFinger()));
    }
    long disagreements = TABLE.stream().filter(r -> !r.agree()).count();
    table.append(TABLE.size() + " rows, " + disagreements + " disagreement(s)\n");
    System.out.print(table);
  }

  /** The test CA, the servers' leaves, and the TLSA records of every case. */
  static final class Pki {
    final Issued root = ca(null, "DANE Test Root");
    final Issued intermediate = ca(root, "DANE Test Intermediate");
    final KeyPair oldKey = TestPki.ec("secp256r1");
    final KeyPair nextKey = TestPki.ec("secp256r1");
    final Issued leaf;
    final Issued otherNameLeaf;

    Pki() {
      List<String> names = new ArrayList<>();
      for (String domain : domains()) {
        if (!domain.equals("dane-ta-names.test")) {
          names.add("mx." + domain);
        }
      }
      leaf = leaf(intermediate, names);
      otherNameLeaf = leaf(intermediate, List.of("mail.elsewhere.test"));
    }

    X509Certificate intermediate() {
      return intermediate.certificate();
    }

    static List<String> domains() {
      return List.of(
          "dane-ee.test",
          "dane-oldkey.test",
          "dane-ta.test",
          "dane-ta-unsent.test",
          "dane-cert.test",
          "dane-unusable.test",
          "dane-unsigned.test",
          "dane-rollover.test",
          "dane-ta-names.test",
          "dane-ta-full.test",
          "dane-none.test");
    }

    List<DaneCase> cases() {
      String leafKey = spki(leaf.certificate().getPublicKey().getEncoded());
      String shortHash = leafKey.substring(0, 40);
      return List.of(
          new DaneCase(
              "a 3 1 1 of the leaf key",
              "dane-ee.test",
              true,
              MAIN_MX,
              List.of("3 1 1 " + leafKey),
              "secure",
              "match"),
          new DaneCase(
              "b 3 1 1 of the key before a key change",
              "dane-oldkey.test",
              true,
              MAIN_MX,
              List.of("3 1 1 " + spki(oldKey.getPublic().getEncoded())),
              "secure",
              "mismatch"),
          new DaneCase(
              "c 2 1 1 of the sent intermediate",
              "dane-ta.test",
              true,
              MAIN_MX,
              List.of("2 1 1 " + spki(intermediate.certificate().getPublicKey().getEncoded())),
              "secure",
              "match"),
          new DaneCase(
              "d 2 1 1 of the root, not sent",
              "dane-ta-unsent.test",
              true,
              MAIN_MX,
              List.of("2 1 1 " + spki(root.certificate().getPublicKey().getEncoded())),
              "secure",
              "mismatch"),
          new DaneCase(
              "e 3 0 1 of the leaf certificate",
              "dane-cert.test",
              true,
              MAIN_MX,
              List.of("3 0 1 " + sha256(encoded(leaf.certificate()))),
              "secure",
              "match"),
          new DaneCase(
              "f 1 1 1 and a 3 1 1 of 20 bytes",
              "dane-unusable.test",
              true,
              MAIN_MX,
              List.of("1 1 1 " + leafKey, "3 1 1 " + shortHash),
              "secure",
              "unusable"),
          new DaneCase(
              "g 3 1 1 of the leaf key, unsigned zone",
              "dane-unsigned.test",
              false,
              MAIN_MX,
              List.of("3 1 1 " + leafKey),
              "none",
              "no DANE"),
          new DaneCase(
              "h 3 1 1 of the current and the next key",
              "dane-rollover.test",
              true,
              MAIN_MX,
              List.of("3 1 1 " + leafKey, "3 1 1 " + spki(nextKey.getPublic().getEncoded())),
              "secure",
              "match"),
          // TODO: no case yet for a DANE-TA leaf that names only the mail domain (the next-hop
          // domain), so mxwatch's reference names (MX host and TLSA base domain) are not compared
          // with the names Postfix accepts there.
          new DaneCase(
              "i 2 1 1 of the intermediate, leaf lacks the MX name",
              "dane-ta-names.test",
              true,
              OTHER_NAME_MX,
              List.of("2 1 1 " + spki(intermediate.certificate().getPublicKey().getEncoded())),
              "secure",
              "mismatch"),
          new DaneCase(
              "j 2 1 0 of the root's whole key, root not sent",
              "dane-ta-full.test",
              true,
              MAIN_MX,
              List.of(
                  "2 1 0 "
                      + HexFormat.of().formatHex(root.certificate().getPublicKey().getEncoded())),
              "secure",
              "match"),
          new DaneCase(
              "k no TLSA record, signed zone",
              "dane-none.test",
              true,
              MAIN_MX,
              List.of(),
              "none",
              "no DANE"));
    }

    private static Issued ca(Issued issuer, String name) {
      Instant now = Instant.now();
      return TestPki.issue(
          issuer,
          name,
          TestPki.ec("secp256r1"),
          "SHA256withECDSA",
          now.minus(Duration.ofDays(1)),
          now.plus(Duration.ofDays(365)),
          true,
          List.of());
    }

    private static Issued leaf(Issued issuer, List<String> names) {
      Instant now = Instant.now();
      return TestPki.issue(
          issuer,
          names.get(0),
          TestPki.ec("secp256r1"),
          "SHA256withECDSA",
          now.minus(Duration.ofDays(1)),
          now.plus(Duration.ofDays(90)),
          false,
          names);
    }

    private static String spki(byte[] encodedKey) {
      return sha256(encodedKey);
    }

    private static String sha256(byte[] data) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JDK", e);
      }
    }

    private static byte[] encoded(X509Certificate certificate) {
      try {
        return certificate.getEncoded();
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
