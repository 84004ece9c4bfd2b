package io.mxwatch.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustAnchorFileTest {
  @TempDir Path dir;

  private static DnsSettings settings(Path file) {
    return new DnsSettings(
        List.of(new InetSocketAddress("127.0.0.1", 9)),
        Duration.ofSeconds(1),
        0,
        Duration.ofSeconds(5),
        file,
        Clock.systemUTC(),
        DnsSettings.DEFAULT_NAME_SERVER_PORT);
  }

  @Test
  void builtInAnchorsAreRead() {
    assertThat(DnsService.readTrustAnchors(settings(null))).isNotEmpty();
  }

  @Test
  void fileThatIsNoZoneFileNamesLine() throws Exception {
    Path file = Files.writeString(dir.resolve("hostname"), "scanner\n\"unterminated\n");

    assertThatThrownBy(() -> DnsService.readTrustAnchors(settings(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid trust anchor file " + file + ": line ")
        .hasMessageContaining("zone-file form")
        .hasMessageNotContaining("<none>");
  }

  @Test
  void fileWithoutAnchorsIsRejected() throws Exception {
    Path file = Files.writeString(dir.resolve("a.zone"), "example. 300 IN A 192.0.2.1\n");

    assertThatThrownBy(() -> DnsService.readTrustAnchors(settings(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no DS or DNSKEY record");
  }

  @Test
  void missingFileIsRejected() {
    Path file = dir.resolve("missing.ds");

    assertThatThrownBy(() -> DnsService.readTrustAnchors(settings(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read trust anchor file " + file);
  }
}
