package io.mxwatch.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of an SMTP dialogue on a socket, with bounded reads: a remote server controls
 * what it sends, so line length and reply size are capped and exceeding them is a protocol error.
 */
public final class SmtpConnection implements Closeable {
  /** RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; we accept generous multiples. */
  public static final int MAX_LINE_LENGTH = 4096;

  /** Replies longer than this many lines are treated as hostile. */
  public static final int MAX_REPLY_LINES = 200;

  private final Socket socket;
  private InputStream in;
  private OutputStream out;
  private final List<String> transcript;

  public SmtpConnection(Socket socket, List<String> transcript) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.transcript = transcript;
  }

  /** Switches reading and writing to another socket layered on the same connection (TLS). */
  public void upgrade(Socket layered) throws IOException {
    this.in = new BufferedInputStream(layered.getInputStream());
    this.out = layered.getOutputStream();
  }

  /** The stream the server's bytes arrive on, for a TLS engine that takes over after STARTTLS. */
  public InputStream input() {
    return in;
  }

  /** The stream to the server, for a TLS engine that takes over after STARTTLS. */
  public OutputStream output() {
    return out;
  }

  public void send(String command) throws IOException {
    transcript.add("C: " + command);
    out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads one complete reply, multi-line replies included. */
  public SmtpReply readReply() throws IOException {
    List<String> lines = new ArrayList<>();
    int code = -1;
    while (true) {
      if (lines.size() >= MAX_REPLY_LINES) {
        throw new SmtpProtocolException("reply has more than " + MAX_REPLY_LINES + " lines");
      }
      String line = readLine();
      transcript.add("S: " + line);
      if (line.length() < 3 || !isDigits(line.substring(0, 3))) {
        throw new SmtpProtocolException("not an SMTP reply line: " + abbreviate(line));
      }
      int lineCode = Integer.parseInt(line.substring(0, 3));
      if (code != -1 && lineCode != code) {
        throw new SmtpProtocolException(
            "reply code changed from " + code + " to " + lineCode + " within one reply");
      }
      code = lineCode;
      boolean last = line.length() == 3 || line.charAt(3) == ' ';
      if (!last && line.charAt(3) != '-') {
        throw new SmtpProtocolException("malformed reply line: " + abbreviate(line));
      }
      lines.add(line.length() > 4 ? line.substring(4) : "");
      if (last) {
        return new SmtpReply(code, lines);
      }
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b == -1) {
        throw new SmtpProtocolException("connection closed by server");
      }
      if (b == '\n') {
        break;
      }
      if (buffer.size() >= MAX_LINE_LENGTH) {
        throw new SmtpProtocolException("reply line longer than " + MAX_LINE_LENGTH + " bytes");
      }
      buffer.write(b);
    }
    String line = buffer.toString(StandardCharsets.ISO_8859_1);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static boolean isDigits(String text) {
    return text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  static String abbreviate(String text) {
    String printable = text.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The server broke the SMTP protocol. */
  public static final class SmtpProtocolException extends IOException {
    public SmtpProtocolException(String message) {
      super(message);
    }
  }
}
