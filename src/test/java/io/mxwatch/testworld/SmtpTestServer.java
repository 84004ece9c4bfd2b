package io.mxwatch.testworld;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP server on a loopback address for tests: greeting, EHLO with or without STARTTLS, and
 * a real TLS handshake with the configured certificate chain.
 */
public final class SmtpTestServer implements AutoCloseable {
  private final Builder config;
  private final ServerSocket listener;
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean running = true;

  private SmtpTestServer(Builder config) throws IOException {
    this.config = config;
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getByName(config.address), config.port));
    Thread.ofVirtual().name("test-smtp-" + config.address).start(this::serve);
  }

  /** A port that is free on 127.0.0.1 now; other 127.0.0.x addresses can bind it too. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Builder on(String address, int port) {
    return new Builder(address, port);
  }

  /** TCP connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  private void serve() {
    while (running) {
      try {
        Socket socket = listener.accept();
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> session(socket));
      } catch (IOException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  private void session(Socket socket) {
    try (socket) {
      socket.setSoTimeout(10_000);
      if (!config.greetingDelay.isZero()) {
        Thread.sleep(config.greetingDelay);
      }
      OutputStream out = socket.getOutputStream();
      String greeting = config.greetingFor.apply(connections.get());
      write(out, greeting);
      if (!greeting.startsWith("220")) {
        return;
      }
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String line;
      while ((line = in.readLine()) != null) {
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO" -> {
            if (config.rejectEhlo) {
              write(out, "502 5.5.2 EHLO not implemented");
            } else {
              StringBuilder reply = new StringBuilder("250-" + config.hostName + "\r\n");
              reply.append("250-PIPELINING\r\n");
              if (config.starttls) {
                reply.append("250-STARTTLS\r\n");
              }
              reply.append("250 8BITMIME");
              write(out, reply.toString());
            }
          }
          case "HELO" -> write(out, "250 " + config.hostName);
          case "STARTTLS" -> {
            if (!config.starttls) {
              write(out, "502 5.5.1 command not implemented");
              continue;
            }
            write(out, config.starttlsReply);
            if (!config.starttlsReply.startsWith("220")) {
              continue;
            }
            SSLSocket tls = startTls(socket);
            tlsSession(tls);
            return;
          }
          case "QUIT" -> {
            write(out, "221 2.0.0 bye");
            return;
          }
          default -> write(out, "502 5.5.2 command not recognized");
        }
      }
    } catch (IOException | InterruptedException e) {
      // The client went away or the handshake failed; a test server just drops the connection.
    }
  }

  private void tlsSession(SSLSocket tls) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = tls.getOutputStream();
    String line;
    while ((line = in.readLine()) != null) {
      String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
      if (verb.equals("QUIT")) {
        write(out, "221 2.0.0 bye");
        return;
      }
      write(out, verb.equals("EHLO") ? "250 " + config.hostName : "250 2.0.0 ok");
    }
  }

  private SSLSocket startTls(Socket socket) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "server", config.key, new char[0], config.chain.toArray(new Certificate[0]));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, new char[0]);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      SSLSocket tls =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(
                      socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
      tls.setUseClientMode(false);
      if (config.protocols != null) {
        tls.setEnabledProtocols(config.protocols.toArray(new String[0]));
      }
      tls.startHandshake();
      return tls;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot set up test TLS", e);
    }
  }

  private static void write(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() {
    running = false;
    try {
      listener.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  /** Settings of a test SMTP server. */
  public static final class Builder {
    private final String address;
    private final int port;
    private String hostName = "mx.test";
    private String greeting;
    private boolean starttls = true;
    private boolean rejectEhlo;
    private String starttlsReply = "220 2.0.0 ready to start TLS";
    private List<X509Certificate> chain = List.of();
    private PrivateKey key;
    private List<String> protocols;
    private Duration greetingDelay = Duration.ZERO;
    private java.util.function.IntFunction<String> greetingFor;

    private Builder(String address, int port) {
      this.address = address;
      this.port = port;
    }

    public Builder hostName(String name) {
      this.hostName = name;
      return this;
    }

    /** The whole greeting line, e.g. {@code 421 4.3.2 busy}. */
    public Builder greeting(String line) {
      this.greeting = line;
      return this;
    }

    /**
     * Chooses the greeting per connection; the argument is the number of connections accepted so
     * far, this one included. Overrides {@link #greeting}.
     */
    public Builder greetings(java.util.function.IntFunction<String> perConnection) {
      this.greetingFor = perConnection;
      return this;
    }

    public Builder noStarttls() {
      this.starttls = false;
      return this;
    }

    public Builder rejectEhlo() {
      this.rejectEhlo = true;
      return this;
    }

    public Builder starttlsReply(String line) {
      this.starttlsReply = line;
      return this;
    }

    /** The certificate chain to present, leaf first, and the leaf's private key. */
    public Builder chain(PrivateKey leafKey, X509Certificate... certificates) {
      this.key = leafKey;
      this.chain = List.of(certificates);
      return this;
    }

    public Builder protocols(String... names) {
      this.protocols = List.of(names);
      return this;
    }

    public Builder greetingDelay(Duration delay) {
      this.greetingDelay = delay;
      return this;
    }

    public SmtpTestServer start() {
      if (greeting == null) {
        greeting = "220 " + hostName + " ESMTP test";
      }
      if (greetingFor == null) {
        String fixed = greeting;
        greetingFor = n -> fixed;
      }
      if (starttls && key == null) {
        throw new IllegalStateException("a STARTTLS server needs a certificate chain");
      }
      try {
        return new SmtpTestServer(this);
      } catch (IOException e) {
        throw new IllegalStateException("cannot start test SMTP server on " + address, e);
      }
    }
  }
}
