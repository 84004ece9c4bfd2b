package io.mxwatch.smtp;

import io.mxwatch.net.Failures;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SMTP part of a STARTTLS session, up to the point where TLS begins: greeting, EHLO (HELO when
 * EHLO is rejected), STARTTLS (RFC 3207 §4). Shared by the JSSE prober and the TLS posture probes,
 * which each open their own connections.
 */
public final class StartTlsDialogue {
  private StartTlsDialogue() {}

  /** The end state of the dialogue. */
  public sealed interface Result {}

  /**
   * The server answered 220 to STARTTLS: the next bytes on the connection are TLS.
   *
   * @param socket the TCP connection, to be closed by the caller
   * @param smtp the SMTP reader and writer, whose streams carry the TLS bytes from now on
   * @param greeting the 220 greeting text
   * @param keywords EHLO extension keywords, upper case
   */
  public record Ready(Socket socket, SmtpConnection smtp, String greeting, List<String> keywords)
      implements Result, Closeable {
    public Ready {
      keywords = List.copyOf(keywords);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * The dialogue ended before TLS.
   *
   * @param outcome why, as an {@link SmtpOutcome}
   * @param message what happened, in words
   * @param reply the last SMTP reply, or null
   * @param greeting the 220 greeting, or null when none arrived
   * @param keywords EHLO extension keywords seen, upper case
   */
  public record Stopped(
      SmtpOutcome outcome, String message, String reply, String greeting, List<String> keywords)
      implements Result {
    public Stopped {
      keywords = List.copyOf(keywords);
    }
  }

  /**
   * Connects and negotiates STARTTLS. Remote faults become a {@link Stopped} result, never an
   * exception.
   */
  public static Result open(
      InetAddress address, int port, Duration timeout, String heloName, List<String> transcript) {
    Socket socket = new Socket();
    try {
      Result result = negotiate(socket, address, port, timeout, heloName, transcript);
      if (!(result instanceof Ready)) {
        socket.close();
      }
      return result;
    } catch (SmtpConnection.SmtpProtocolException e) {
      return stopped(socket, SmtpOutcome.PROTOCOL_ERROR, e.getMessage());
    } catch (SocketTimeoutException e) {
      return stopped(socket, SmtpOutcome.TIMEOUT, "no reply within " + timeout.toSeconds() + " s");
    } catch (ConnectException | NoRouteToHostException e) {
      return stopped(socket, SmtpOutcome.CONNECT_FAILED, Failures.reason(e));
    } catch (IOException e) {
      return stopped(socket, SmtpOutcome.CONNECT_FAILED, Failures.reason(e));
    }
  }

  private static Result negotiate(
      Socket socket,
      InetAddress address,
      int port,
      Duration timeout,
      String heloName,
      List<String> transcript)
      throws IOException {
    int millis = (int) timeout.toMillis();
    socket.connect(new InetSocketAddress(address, port), millis);
    socket.setSoTimeout(millis);
    SmtpConnection smtp = new SmtpConnection(socket, transcript);

    // RFC 5321 §4.3.1: a 220 greeting (possibly multi-line), or 554 when service is refused.
    // A 421 greeting is a busy server or a connection limit: temporary, never "no STARTTLS".
    SmtpReply hello = smtp.readReply();
    if (hello.code() != 220) {
      return new Stopped(
          rejection(hello),
          "greeting was not 220: " + SmtpConnection.abbreviate(hello.text()),
          hello.text(),
          null,
          List.of());
    }
    String greeting = String.join(" ", hello.lines());

    // RFC 5321 §4.1.4: EHLO first; HELO only when EHLO is rejected as unknown. RFC 3207 §4.2:
    // the client must issue EHLO before STARTTLS, so a HELO session cannot use STARTTLS.
    smtp.send("EHLO " + heloName);
    SmtpReply ehlo = smtp.readReply();
    if (ehlo.permanentNegative()) {
      smtp.send("HELO " + heloName);
      SmtpReply helo = smtp.readReply();
      if (helo.code() != 250) {
        return new Stopped(
            rejection(helo),
            "EHLO and HELO rejected: " + helo.text(),
            helo.text(),
            greeting,
            List.of());
      }
      quit(smtp);
      return new Stopped(
          SmtpOutcome.NO_STARTTLS,
          "EHLO rejected, so no extensions such as STARTTLS",
          helo.text(),
          greeting,
          List.of());
    }
    if (ehlo.code() != 250) {
      return new Stopped(
          rejection(ehlo),
          "EHLO answered " + SmtpConnection.abbreviate(ehlo.text()),
          ehlo.text(),
          greeting,
          List.of());
    }
    List<String> keywords = keywordsOf(ehlo);
    if (!keywords.contains("STARTTLS")) {
      quit(smtp);
      return new Stopped(
          SmtpOutcome.NO_STARTTLS,
          "STARTTLS is not among the EHLO extensions",
          ehlo.text(),
          greeting,
          keywords);
    }

    // RFC 3207 §4: 220 means "ready to start TLS"; 454 is a temporary refusal, 5xx a permanent one.
    smtp.send("STARTTLS");
    SmtpReply ready = smtp.readReply();
    if (ready.code() != 220) {
      SmtpOutcome refused =
          ready.transientNegative()
              ? SmtpOutcome.TEMPORARY_REJECTION
              : SmtpOutcome.STARTTLS_REJECTED;
      return new Stopped(
          refused,
          "STARTTLS answered " + SmtpConnection.abbreviate(ready.text()),
          ready.text(),
          greeting,
          keywords);
    }
    return new Ready(socket, smtp, greeting, keywords);
  }

  private static Stopped stopped(Socket socket, SmtpOutcome outcome, String message) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a failed socket cannot change the outcome.
    }
    return new Stopped(outcome, message, null, null, List.of());
  }

  static SmtpOutcome rejection(SmtpReply reply) {
    if (reply.transientNegative()) {
      return SmtpOutcome.TEMPORARY_REJECTION;
    }
    if (reply.permanentNegative()) {
      return SmtpOutcome.PERMANENT_REJECTION;
    }
    return SmtpOutcome.PROTOCOL_ERROR;
  }

  static List<String> keywordsOf(SmtpReply ehlo) {
    List<String> keywords = new ArrayList<>();
    // The first line is the server's greeting name; each further line starts with a keyword.
    for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
      String keyword = line.strip().split("\\s+", 2)[0];
      if (!keyword.isEmpty()) {
        keywords.add(keyword.toUpperCase(Locale.ROOT));
      }
    }
    return keywords;
  }

  /** Sends QUIT and reads the reply, ignoring failures: the verdict is already known. */
  public static void quit(SmtpConnection smtp) {
    try {
      smtp.send("QUIT");
      smtp.readReply();
    } catch (IOException e) {
      // A server that drops the line after QUIT changes nothing.
    }
  }
}
