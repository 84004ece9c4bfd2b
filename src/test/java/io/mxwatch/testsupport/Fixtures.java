package io.mxwatch.testsupport;

import io.mxwatch.dns.DomainName;
import io.mxwatch.model.CertificateInfo;
import io.mxwatch.model.Finding;
import io.mxwatch.model.MxHost;
import io.mxwatch.model.Observation;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.ScanStats;
import io.mxwatch.model.Status;
import io.mxwatch.scan.Scorer;
import io.mxwatch.store.DomainRecord;
import io.mxwatch.store.DomainStore;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Scan results and domains for tests of the store, the web layer and the metrics. */
public final class Fixtures {
  /** Markup, a NUL, an escape sequence, a bidi override and a line break, as a remote may send. */
  public static final String HOSTILE =
      "<script>alert(1)</script>\u0000\u001b[31m\u202e&amp;\"'\r\nnext";

  private Fixtures() {}

  /** Returns a unique domain name under {@code .test} with {@code prefix} in its first label. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
  }

  /** Adds a domain that the scheduler will not pick up on its own during the test. */
  public static DomainRecord addIdleDomain(DomainStore domains, EntityManager em, String name) {
    DomainRecord record = domains.add(DomainName.parse(name), List.of("s1"), List.of());
    io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "update domains set next_scan_at = now() + interval '100 years'"
                            + " where name = :name")
                    .setParameter("name", record.name())
                    .executeUpdate());
    return record;
  }

  public static Finding finding(String check, Status status, String target) {
    return new Finding(check, status, target, check + " is " + status.wireName(), Map.of(), null);
  }

  /**
   * Returns a result of {@code domain} with the given findings, one MX with two addresses, no TLS.
   */
  public static ScanResult result(String domain, Instant scannedAt, List<Finding> findings) {
    return new ScanResult(
        domain,
        domain,
        scannedAt,
        Duration.ofMillis(1234),
        Scorer.score(findings),
        List.of(new MxHost("mx1." + domain, 10, List.of("192.0.2.25", "2001:db8::25"))),
        findings,
        List.of(),
        new ScanStats(17, 250, 2, 0));
  }

  /**
   * Returns a result with every kind of field filled, including hostile text from the remote side.
   */
  public static ScanResult richResult(String domain, Instant scannedAt) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("record", HOSTILE);
    details.put("nested", Map.of("list", List.of(1, "two\u0000", HOSTILE)));
    details.put(HOSTILE, "hostile key");
    details.put("nothing", null);
    List<Finding> findings =
        List.of(
            new Finding(
                "dnssec.domain",
                Status.PASS,
                domain,
                "signed and validated",
                Map.of("dnssec", "secure"),
                null),
            new Finding(
                "auth.spf", Status.FAIL, domain, "SPF says " + HOSTILE, details, "fix " + HOSTILE),
            new Finding(
                "tls.starttls",
                Status.ERROR,
                "mx1." + domain + "/192.0.2.25",
                "timed out",
                null,
                null),
            new Finding(
                "dane.valid",
                Status.PASS,
                "mx1." + domain + "/192.0.2.25",
                "the presented certificate matches TLSA 3 1 1 " + "bb".repeat(32),
                null,
                null));
    Instant notBefore = scannedAt.minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = scannedAt.plus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Observation observation =
        new Observation(
            "mx1." + domain,
            "192.0.2.25",
            "TLSv1.3",
            List.of(
                new CertificateInfo(
                    0,
                    "CN=mx1." + domain + ",O=" + HOSTILE,
                    "CN=Test CA",
                    "aa".repeat(32),
                    "bb".repeat(32),
                    notBefore,
                    notAfter,
                    "EC secp256r1",
                    "SHA256withECDSA"),
                new CertificateInfo(
                    1,
                    "CN=Test CA",
                    "CN=Test Root",
                    "cc".repeat(32),
                    "dd".repeat(32),
                    notBefore,
                    notAfter.plus(365, ChronoUnit.DAYS),
                    "RSA 4096",
                    "SHA256withRSA")),
            List.of("3 1 1 " + "bb".repeat(32), "2 1 1 " + "dd".repeat(32)),
            Boolean.TRUE);
    return new ScanResult(
        domain,
        domain,
        scannedAt.truncatedTo(ChronoUnit.MILLIS),
        Duration.ofMillis(4321),
        Scorer.score(findings),
        List.of(new MxHost("mx1." + domain, 10, List.of("192.0.2.25"))),
        findings,
        List.of(observation),
        new ScanStats(42, 900, 1, 1));
  }
}
