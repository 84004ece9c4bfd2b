package io.mxwatch.scan;

import static io.mxwatch.testworld.ScanRunner.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.testworld.DnsWorld;
import io.mxwatch.testworld.ScanRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full scans of names that do not exist, in a signed zone (NXDOMAIN proven with NSEC) and in an
 * unsigned one: only mx.present grades the domain, and every other check is not applicable.
 */
class MissingDomainScanTest {
  @TempDir static Path dir;
  static DnsWorld world;
  static ScanRunner runner;

  @BeforeAll
  static void startWorld() {
    world = new DnsWorld().start();
    world.zone("signed.test.").add("@ MX 10 mx\nmx A 127.0.0.20\n");
    world
        .zone("plain.test.")
        .unsigned()
        .add("@ MX 10 mx\nmx A 127.0.0.20\ndangling CNAME gone.plain.test.\n");
    runner = new ScanRunner(world.dnsSettings(dir), ScanRunner.options(false));
  }

  @AfterAll
  static void stopWorld() {
    runner.close();
    world.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nothere.signed.test", "nothere.plain.test"})
  void missingDomain_onlyMxPresentFails(String domain) {
    ScanResult result = runner.scan(domain);

    Finding present = only(result, "mx.present");
    assertThat(present.status()).isEqualTo(Status.FAIL);
    assertThat(present.summary()).isEqualTo("the domain does not exist (NXDOMAIN)");
    for (String check :
        List.of(
            "dnssec.domain", "dnssec.signature_expiry", "auth.spf", "auth.dmarc", "auth.dkim")) {
      assertThat(only(result, check).status()).as(check).isEqualTo(Status.NOT_APPLICABLE);
    }
    for (Finding finding : result.findings()) {
      if (finding.check().equals("mx.present")) {
        continue;
      }
      assertThat(finding.status()).as(finding.check()).isEqualTo(Status.NOT_APPLICABLE);
      assertThat(finding.summary())
          .as(finding.check())
          .isEqualTo("the domain does not exist (NXDOMAIN)");
      assertThat(finding.target()).as(finding.check()).isEqualTo(domain);
      assertThat(finding.advice()).as(finding.check()).isNull();
    }
  }

  @Test
  void aliasOfMissingName_onlyMxPresentFails() {
    ScanResult result = runner.scan("dangling.plain.test");

    String reason =
        "the domain is an alias (CNAME) of gone.plain.test, which does not exist (NXDOMAIN)";
    assertThat(only(result, "mx.present").status()).isEqualTo(Status.FAIL);
    assertThat(only(result, "mx.present").summary()).isEqualTo(reason);
    assertThat(only(result, "auth.spf").status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(only(result, "auth.spf").summary()).isEqualTo(reason);
    assertThat(result.score().overall()).isNull();
  }
}
