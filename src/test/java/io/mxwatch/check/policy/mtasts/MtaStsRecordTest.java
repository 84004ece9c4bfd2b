package io.mxwatch.check.policy.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MtaStsRecordTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v=STSv1; id=20160831085700Z;",
        "v=STSv1;id=1",
        "v=STSv1; id=abc; ext_1=value",
        "v=STSv1; id=12345678901234567890123456789012"
      })
  void parse_acceptsValidRecord(String text) {
    assertThat(MtaStsRecord.parse(text).errors()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "v=STSv1; | id is missing",
        "v=STSv1; id=2016-08-31 | 1 to 32 letters and digits",
        "v=STSv1; id=123456789012345678901234567890123 | 1 to 32 letters and digits",
        "v=STSv1; id=1; id=2 | more than once",
        "v=STSv1; id=1;; ext=a | empty field",
        "v=STSv1; id=1; bad field | not a valid field"
      })
  void parse_reportsInvalidRecord(String text, String error) {
    assertThat(String.join("; ", MtaStsRecord.parse(text).errors())).contains(error);
  }

  @ParameterizedTest
  @CsvSource({"v=STSv1; id=1, true", "v=STSv1 ; id=1, false", "v=stsv1; id=1, false"})
  void isStsRecord_requiresExactPrefix(String text, boolean expected) {
    assertThat(MtaStsRecord.isStsRecord(text)).isEqualTo(expected);
  }
}
