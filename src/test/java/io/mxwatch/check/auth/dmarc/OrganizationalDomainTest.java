package io.mxwatch.check.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrganizationalDomainTest {

  @ParameterizedTest
  @CsvSource({
    "example.com, example.com",
    "mail.example.com, example.com",
    "a.b.example.co.uk, example.co.uk",
    "Example.COM., example.com",
    "www.foo.xn--55qx5d.cn, foo.xn--55qx5d.cn",
    "xn--bcher-kva.de, xn--bcher-kva.de",
    "mail.xn--bcher-kva.de, xn--bcher-kva.de",
    "mx.example.test, example.test",
    "co.uk, co.uk",
    "_dmarc.example.com, example.com",
    "localhost, localhost"
  })
  void of_usesPublicSuffixList(String domain, String expected) {
    assertThat(OrganizationalDomain.of(domain)).isEqualTo(expected);
  }
}
