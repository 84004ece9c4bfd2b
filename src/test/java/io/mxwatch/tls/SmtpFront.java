package io.mxwatch.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny SMTP server on a loopback address: a multi-line 220 greeting, EHLO with or without
 * STARTTLS, STARTTLS answered 220 and handed to a TLS backend, then NOOP and QUIT over TLS. It
 * accepts no mail.
 */
public final class SmtpFront implements AutoCloseable {

  /** Runs the server side of a TLS handshake on a socket after STARTTLS. */
  public interface TlsBackend {
    /** The streams of the established TLS session. */
    Streams accept(Socket socket) throws IOException;
  }

  public record Streams(InputStream in, OutputStream out) {}

  private final ServerSocket server;
  private final boolean starttls;
  private final TlsBackend backend;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger maxOpen = new AtomicInteger();
  private volatile int busyGreetings;
  private final Thread acceptor;

  public SmtpFront(InetAddress address, boolean starttls, TlsBackend backend) throws IOException {
    this.server = new ServerSocket();
    this.server.bind(new InetSocketAddress(address, 0));
    this.starttls = starttls;
    this.backend = backend;
    this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
  }

  public static SmtpFront start(TlsBackend backend) throws IOException {
    return new SmtpFront(InetAddress.getLoopbackAddress(), true, backend);
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetAddress address() {
    return server.getInetAddress();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** The maximum number of connections open at the same time. */
  public int maxOpen() {
    return maxOpen.get();
  }

  /** Answers the next {@code count} connections with {@code 421} instead of a greeting. */
  public void busyFor(int count) {
    busyGreetings = count;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    int now = open.incrementAndGet();
    maxOpen.accumulateAndGet(now, Math::max);
    try (socket) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      synchronized (this) {
        if (busyGreetings > 0) {
          busyGreetings--;
          write(out, "421 4.7.0 mx.test too many connections, try later");
          return;
        }
      }
      write(out, "220-mx.test ESMTP test front\r\n220 mx.test ready");
      dialogue(socket, in, out, false);
    } catch (IOException e) {
      // Probes close connections mid-handshake on purpose.
    } finally {
      open.decrementAndGet();
    }
  }

  private void dialogue(Socket socket, InputStream in, OutputStream out, boolean secure)
      throws IOException {
    while (true) {
      String line = readLine(in);
      if (line == null) {
        return;
      }
      String command = line.toUpperCase(java.util.Locale.ROOT);
      if (command.startsWith("EHLO")) {
        write(
            out,
            starttls && !secure
                ? "250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS"
                : "250-mx.test\r\n250 PIPELINING");
      } else if (command.startsWith("HELO")) {
        write(out, "250 mx.test");
      } else if (command.equals("STARTTLS") && starttls && !secure) {
        write(out, "220 2.0.0 ready to start TLS");
        Streams tls;
        try {
          tls = backend.accept(socket);
        } catch (IOException | RuntimeException e) {
          return;
        }
        dialogue(socket, tls.in(), tls.out(), true);
        return;
      } else if (command.equals("NOOP")) {
        write(out, "250 2.0.0 ok");
      } else if (command.equals("QUIT")) {
        write(out, "221 2.0.0 bye");
        return;
      } else {
        write(out, "502 5.5.2 command not implemented");
      }
    }
  }

  /** Reads one line byte by byte, so no TLS byte after STARTTLS is consumed. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b == -1) {
        return null;
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      if (line.size() > 1000) {
        return null;
      }
      line.write(b);
    }
  }

  private static void write(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
