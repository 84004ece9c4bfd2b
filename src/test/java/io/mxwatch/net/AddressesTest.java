package io.mxwatch.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {

  @ParameterizedTest
  @CsvSource({
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
    "0:0:0:0:0:0:0:0, ::",
    "0:0:0:0:0:0:0:1, ::1",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "192.0.2.25, 192.0.2.25",
  })
  void text_isRfc5952(String input, String expected) throws Exception {
    assertThat(Addresses.text(InetAddress.getByName(input))).isEqualTo(expected);
  }

  @Test
  void canonicalTarget_rewritesOldIpv6Form() {
    assertThat(Addresses.canonicalTarget("mx1.example.org/2001:db8:0:0:0:0:0:25"))
        .isEqualTo("mx1.example.org/2001:db8::25");
    assertThat(Addresses.canonicalTarget("2001:DB8:0:0:0:0:0:25")).isEqualTo("2001:db8::25");
  }

  @Test
  void canonicalTarget_keepsOtherTargets() {
    assertThat(Addresses.canonicalTarget("mx1.example.org/192.0.2.25"))
        .isEqualTo("mx1.example.org/192.0.2.25");
    assertThat(Addresses.canonicalTarget("mx1.example.org")).isEqualTo("mx1.example.org");
    assertThat(Addresses.canonicalTarget("example.org")).isEqualTo("example.org");
  }

  @Test
  void rejectionReason_namesIpv6InShortForm() throws Exception {
    AddressPolicy policy = new AddressPolicy(false);

    String reason = policy.rejectionReason(InetAddress.getByName("2001:db8:0:0:0:0:0:25")).get();

    assertThat(reason).startsWith("2001:db8::25 is a ");
  }
}
