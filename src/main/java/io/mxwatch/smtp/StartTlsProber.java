package io.mxwatch.smtp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jboss.logging.Logger;

/**
 * Probes one MX address: greeting, EHLO (HELO when EHLO is rejected), STARTTLS (RFC 3207) and one
 * full TLS handshake with the JDK's TLS stack to capture the certificate chain exactly as sent.
 */
public final class StartTlsProber implements SmtpProber {
  private static final Logger LOG = Logger.getLogger(StartTlsProber.class);

  private final Duration timeout;
  private final String heloName;

  public StartTlsProber(Duration timeout, String heloName) {
    this.timeout = timeout;
    this.heloName = heloName;
  }

  @Override
  public SmtpEvidence probe(String host, InetAddress address, int port) {
    Session session = new Session(host, address, port);
    try {
      session.run();
    } catch (SmtpConnection.SmtpProtocolException e) {
      session.end(SmtpOutcome.PROTOCOL_ERROR, e.getMessage());
    } catch (SocketTimeoutException e) {
      session.end(SmtpOutcome.TIMEOUT, "no reply within " + timeout.toSeconds() + " s");
    } catch (ConnectException | NoRouteToHostException e) {
      session.end(SmtpOutcome.CONNECT_FAILED, "connection failed: " + e.getMessage());
    } catch (SSLException e) {
      session.end(SmtpOutcome.HANDSHAKE_FAILED, "TLS handshake failed: " + e.getMessage());
    } catch (IOException e) {
      session.end(SmtpOutcome.CONNECT_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      LOG.errorf(e, "cannot set up TLS for %s", session.target());
      session.end(SmtpOutcome.HANDSHAKE_FAILED, "TLS setup failed: " + e.getMessage());
    }
    return session.evidence();
  }

  /** One probe's mutable state; only the thread running the probe touches it. */
  private final class Session {
    final String host;
    final InetAddress address;
    final int port;
    final List<String> transcript = new ArrayList<>();
    SmtpOutcome outcome;
    String greeting;
    List<String> keywords = List.of();
    String protocol;
    String cipherSuite;
    List<X509Certificate> chain = List.of();
    String reply;
    String error;
    int connections;

    Session(String host, InetAddress address, int port) {
      this.host = host;
      this.address = address;
      this.port = port;
    }

    String target() {
      return host + "/" + address.getHostAddress();
    }

    void run() throws IOException, GeneralSecurityException {
      int millis = (int) timeout.toMillis();
      Socket socket = new Socket();
      connections++;
      try (socket) {
        socket.connect(new InetSocketAddress(address, port), millis);
        socket.setSoTimeout(millis);
        SmtpConnection smtp = new SmtpConnection(socket, transcript);

        // RFC 5321 §4.3.1: a 220 greeting, or 554 when the server refuses service.
        SmtpReply hello = smtp.readReply();
        reply = hello.text();
        if (hello.code() != 220) {
          end(rejection(hello), "greeting was not 220: " + SmtpConnection.abbreviate(hello.text()));
          return;
        }
        greeting = String.join(" ", hello.lines());

        // RFC 5321 §4.1.4: EHLO first; HELO only when EHLO is rejected as unknown.
        smtp.send("EHLO " + heloName);
        SmtpReply ehlo = smtp.readReply();
        reply = ehlo.text();
        if (ehlo.permanentNegative()) {
          smtp.send("HELO " + heloName);
          SmtpReply helo = smtp.readReply();
          reply = helo.text();
          if (helo.code() != 250) {
            end(rejection(helo), "EHLO and HELO rejected: " + helo.text());
            return;
          }
          quietly(smtp, "QUIT");
          end(SmtpOutcome.NO_STARTTLS, "EHLO rejected, so no extensions such as STARTTLS");
          return;
        }
        if (ehlo.code() != 250) {
          end(rejection(ehlo), "EHLO answered " + SmtpConnection.abbreviate(ehlo.text()));
          return;
        }
        keywords = keywordsOf(ehlo);
        if (!keywords.contains("STARTTLS")) {
          quietly(smtp, "QUIT");
          end(SmtpOutcome.NO_STARTTLS, "STARTTLS is not among the EHLO extensions");
          return;
        }

        // RFC 3207 §4: 220 means "ready to start TLS"; anything else refuses it.
        smtp.send("STARTTLS");
        SmtpReply ready = smtp.readReply();
        reply = ready.text();
        if (ready.code() != 220) {
          SmtpOutcome refused =
              ready.transientNegative()
                  ? SmtpOutcome.TEMPORARY_REJECTION
                  : SmtpOutcome.STARTTLS_REJECTED;
          end(refused, "STARTTLS answered " + SmtpConnection.abbreviate(ready.text()));
          return;
        }
        handshake(socket, smtp);
      }
    }

    private void handshake(Socket socket, SmtpConnection smtp)
        throws IOException, GeneralSecurityException {
      ChainCapture capture = new ChainCapture();
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {capture}, null);
      SSLSocket tls =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(socket, address.getHostAddress(), port, false);
      SSLParameters parameters = tls.getSSLParameters();
      if (isHostName(host)) {
        parameters.setServerNames(List.of(new SNIHostName(host)));
      }
      tls.setSSLParameters(parameters);
      tls.startHandshake();
      SSLSession tlsSession = tls.getSession();
      protocol = tlsSession.getProtocol();
      cipherSuite = tlsSession.getCipherSuite();
      chain = capture.chain();
      smtp.upgrade(tls);
      quietly(smtp, "QUIT");
      end(SmtpOutcome.TLS_ESTABLISHED, null);
    }

    void end(SmtpOutcome ending, String message) {
      if (outcome == null) {
        outcome = ending;
        error = message;
      }
    }

    SmtpEvidence evidence() {
      return new SmtpEvidence(
          host,
          address.getHostAddress(),
          port,
          outcome,
          greeting,
          keywords,
          protocol,
          cipherSuite,
          chain,
          reply,
          error,
          transcript,
          connections);
    }
  }

  private static SmtpOutcome rejection(SmtpReply reply) {
    if (reply.transientNegative()) {
      return SmtpOutcome.TEMPORARY_REJECTION;
    }
    if (reply.permanentNegative()) {
      return SmtpOutcome.PERMANENT_REJECTION;
    }
    return SmtpOutcome.PROTOCOL_ERROR;
  }

  private static List<String> keywordsOf(SmtpReply ehlo) {
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

  private static void quietly(SmtpConnection smtp, String command) {
    try {
      smtp.send(command);
      smtp.readReply();
    } catch (IOException e) {
      // The verdict is already known; a server that drops the line after QUIT changes nothing.
    }
  }

  private static boolean isHostName(String host) {
    return host != null && !host.isEmpty() && !host.contains(":") && !host.matches("[0-9.]+");
  }
}
