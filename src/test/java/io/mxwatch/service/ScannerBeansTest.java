package io.mxwatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScannerBeansTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1, 53",
    "127.0.0.1:5353, 127.0.0.1, 5353",
    "::1, 0:0:0:0:0:0:0:1, 53",
    "[::1], 0:0:0:0:0:0:0:1, 53",
    "[::1]:5353, 0:0:0:0:0:0:0:1, 5353",
    "' 127.0.0.2:53 ', 127.0.0.2, 53"
  })
  void parseResolvers_acceptsHostAndPortForms(String entry, String address, int port) {
    InetSocketAddress parsed = ScannerBeans.parseResolvers(List.of(entry)).get(0);
    assertThat(parsed.getAddress().getHostAddress()).isEqualTo(address);
    assertThat(parsed.getPort()).isEqualTo(port);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:dns", "[::1", "[::1]x", ":53"})
  void parseResolvers_rejectsInvalidEntries(String entry) {
    assertThatThrownBy(() -> ScannerBeans.parseResolvers(List.of(entry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid DNS resolver '" + entry.strip() + "'");
  }
}
