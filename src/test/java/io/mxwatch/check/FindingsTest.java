package io.mxwatch.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FindingsTest {

  @ParameterizedTest
  @CsvSource({
    "0, day, 0 days",
    "1, day, 1 day",
    "2, day, 2 days",
    "1, insufficient suite, 1 insufficient suite",
    "3, insufficient suite, 3 insufficient suites",
    "1, certificate, 1 certificate",
    "2, address, 2 addresses",
    "1, address, 1 address",
    "2, TLSA record, 2 TLSA records",
  })
  void count_singularAndPlural(long count, String singular, String expected) {
    assertThat(Findings.count(count, singular)).isEqualTo(expected);
  }
}
