package io.mxwatch.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server on loopback that answers from a script: a greeting and one reply per command verb.
 * It never speaks TLS; STARTTLS answered 220 is followed by closing the connection.
 */
final class ScriptedSmtp implements AutoCloseable {
  private final ServerSocket server = new ServerSocket();
  private final String greeting;
  private final Map<String, String> replies;
  final AtomicInteger connections = new AtomicInteger();

  ScriptedSmtp(String greeting, Map<String, String> replies) throws IOException {
    this.greeting = greeting;
    this.replies = replies;
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofVirtual().start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  InetAddress address() {
    return server.getInetAddress();
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
    try (socket) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      write(out, greeting);
      if (!greeting.startsWith("220")) {
        return;
      }
      while (true) {
        String line = readLine(in);
        if (line == null) {
          return;
        }
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        String reply = replies.getOrDefault(verb, "502 5.5.2 not implemented");
        write(out, reply);
        if (verb.equals("QUIT") || (verb.equals("STARTTLS") && reply.startsWith("220"))) {
          return;
        }
      }
    } catch (IOException e) {
      // The client hung up.
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        return line.toString(StandardCharsets.US_ASCII).strip();
      }
      line.write(b);
    }
    return null;
  }

  private static void write(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
