package io.mxwatch.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StartTlsDialogueTest {
  static final String EHLO_TLS = "250-mx.test\r\n250-SIZE 10240000\r\n250 STARTTLS";

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void open_outcomes(
      String name, String greeting, Map<String, String> replies, SmtpOutcome expected)
      throws Exception {
    try (ScriptedSmtp server = new ScriptedSmtp(greeting, replies)) {
      List<String> transcript = new ArrayList<>();
      StartTlsDialogue.Result result =
          StartTlsDialogue.open(
              server.address(), server.port(), Duration.ofSeconds(5), "scanner.test", transcript);

      SmtpOutcome outcome =
          result instanceof StartTlsDialogue.Stopped stopped ? stopped.outcome() : null;
      if (result instanceof StartTlsDialogue.Ready ready) {
        ready.close();
      }
      assertThat(outcome).isEqualTo(expected);
      if (!greeting.startsWith("220")) {
        assertThat(transcript).noneMatch(line -> line.startsWith("C: "));
      }
    }
  }

  static Stream<Arguments> scripts() {
    return Stream.of(
        Arguments.of(
            "multi-line greeting, STARTTLS accepted",
            "220-mx.test ESMTP\r\n220-second line\r\n220 ready",
            Map.of("EHLO", EHLO_TLS, "STARTTLS", "220 2.0.0 go ahead"),
            null),
        Arguments.of(
            "421 greeting is temporary",
            "421 4.3.2 too many connections from your address",
            Map.of(),
            SmtpOutcome.TEMPORARY_REJECTION),
        Arguments.of(
            "554 greeting is permanent",
            "554 5.7.1 no service for you",
            Map.of(),
            SmtpOutcome.PERMANENT_REJECTION),
        Arguments.of(
            "greylisting on EHLO",
            "220 mx.test",
            Map.of("EHLO", "450 4.7.1 greylisted, try again later"),
            SmtpOutcome.TEMPORARY_REJECTION),
        Arguments.of(
            "EHLO unknown, HELO works",
            "220 mx.test",
            Map.of("EHLO", "500 5.5.1 unknown command", "HELO", "250 mx.test", "QUIT", "221 bye"),
            SmtpOutcome.NO_STARTTLS),
        Arguments.of(
            "no STARTTLS keyword",
            "220 mx.test",
            Map.of("EHLO", "250-mx.test\r\n250 SIZE 1000", "QUIT", "221 bye"),
            SmtpOutcome.NO_STARTTLS),
        Arguments.of(
            "STARTTLS 454 is temporary",
            "220 mx.test",
            Map.of(
                "EHLO", EHLO_TLS, "STARTTLS", "454 4.7.0 TLS not available due to local problem"),
            SmtpOutcome.TEMPORARY_REJECTION),
        Arguments.of(
            "STARTTLS 502 is a rejection",
            "220 mx.test",
            Map.of("EHLO", EHLO_TLS, "STARTTLS", "502 5.5.1 no"),
            SmtpOutcome.STARTTLS_REJECTED),
        Arguments.of(
            "garbage greeting", "HTTP/1.1 400 Bad Request", Map.of(), SmtpOutcome.PROTOCOL_ERROR));
  }

  @Test
  void open_ehloBeforeStarttls() throws Exception {
    try (ScriptedSmtp server =
        new ScriptedSmtp("220 mx.test", Map.of("EHLO", EHLO_TLS, "STARTTLS", "220 go ahead"))) {
      List<String> transcript = new ArrayList<>();
      StartTlsDialogue.Result result =
          StartTlsDialogue.open(
              server.address(), server.port(), Duration.ofSeconds(5), "scanner.test", transcript);
      ((StartTlsDialogue.Ready) result).close();

      List<String> commands = transcript.stream().filter(l -> l.startsWith("C: ")).toList();
      assertThat(commands).containsExactly("C: EHLO scanner.test", "C: STARTTLS");
    }
  }

  @Test
  void open_refusedConnection() throws Exception {
    int port;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    StartTlsDialogue.Result result =
        StartTlsDialogue.open(
            java.net.InetAddress.getLoopbackAddress(),
            port,
            Duration.ofSeconds(2),
            "scanner.test",
            new ArrayList<>());

    assertThat(((StartTlsDialogue.Stopped) result).outcome()).isEqualTo(SmtpOutcome.CONNECT_FAILED);
  }
}
