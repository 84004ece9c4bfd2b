package io.mxwatch.check.policy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TlsRptRecordTest {

  /** The examples of RFC 8460 §3 and their combination. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "v=TLSRPTv1; rua=mailto:reports@example.com",
        "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt",
        "v=TLSRPTv1; rua=mailto:reports@example.com,https://reporting.example.com/v1/tlsrpt",
        "v=TLSRPTv1;rua=mailto:a@example.com;"
      })
  void parse_acceptsValidRecord(String text) {
    assertThat(TlsRptRecord.parse(text).errors()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=TLSRPTv1; | rua is missing",
        "v=TLSRPTv1; rua=reports@example.com | must be a mailto: or https: URI",
        "v=TLSRPTv1; rua=http://example.com/r | must be a mailto: or https: URI",
        "v=TLSRPTv1; rua=mailto:nobody | is not a mail address",
        "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com | more than once",
        "v=TLSRPTv1; rua=https:// | is not a valid URI"
      })
  void parse_reportsInvalidRecord(String text, String error) {
    assertThat(String.join("; ", TlsRptRecord.parse(text).errors())).contains(error);
  }
}
