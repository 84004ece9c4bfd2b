package io.mxwatch.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated server replies: the parsers either return a flight or raise a {@link
 * TlsParseException}; nothing else may escape, and nothing may loop.
 */
class FlightReaderFuzzTest {

  @Property(tries = 2000)
  void parse_randomBytes(@ForAll @Size(max = 600) byte[] bytes) {
    assertParsesOrRejects(bytes);
  }

  @Property(tries = 2000)
  void parse_mutatedFlight(@ForAll("mutations") byte[] bytes) {
    assertParsesOrRejects(bytes);
  }

  @Property(tries = 1000)
  void parseSslv2_randomBytes(@ForAll @Size(max = 300) byte[] bytes) {
    try {
      Sslv2Hello.read(new ByteArrayInputStream(bytes));
    } catch (TlsParseException e) {
      assertThat(e.getMessage()).isNotBlank();
    } catch (java.io.IOException e) {
      throw new AssertionError("in-memory stream failed", e);
    }
  }

  @Provide
  Arbitrary<byte[]> mutations() {
    byte[] valid = Flights.tls12Flight();
    Arbitrary<Integer> positions = Arbitraries.integers().between(0, valid.length - 1);
    Arbitrary<Byte> values = Arbitraries.bytes();
    Arbitrary<byte[]> flipped =
        positions
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .flatMap(
                list ->
                    values
                        .list()
                        .ofSize(list.size())
                        .map(
                            replacements -> {
                              byte[] copy = valid.clone();
                              for (int i = 0; i < list.size(); i++) {
                                copy[list.get(i)] = replacements.get(i);
                              }
                              return copy;
                            }));
    Arbitrary<byte[]> truncated = positions.map(n -> java.util.Arrays.copyOf(valid, n));
    return Arbitraries.oneOf(flipped, truncated);
  }

  private static void assertParsesOrRejects(byte[] bytes) {
    try {
      ServerFlight flight = FlightReader.parse(bytes);
      assertThat(flight).isNotNull();
    } catch (TlsParseException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
