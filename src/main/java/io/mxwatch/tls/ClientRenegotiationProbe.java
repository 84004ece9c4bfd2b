package io.mxwatch.tls;

import io.mxwatch.net.Failures;
import io.mxwatch.smtp.SmtpReply;
import io.mxwatch.smtp.StartTlsDialogue;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Counts how many client-initiated renegotiations a server allows in TLS 1.2 (NCSC: none is good, a
 * few is sufficient, unlimited is phase-out). Renegotiation needs a completed handshake, so this
 * probe uses the JDK's TLS stack rather than the partial-handshake engine.
 */
final class ClientRenegotiationProbe {
  /** One more than the limit of 10 that separates "limited" from "unlimited". */
  static final int ATTEMPTS = 11;

  /** How long to wait for the JDK to report a completed renegotiation after a reply arrived. */
  private static final long COMPLETION_WAIT_MILLIS = 2000;

  private ClientRenegotiationProbe() {}

  static TlsPosture.ClientRenegotiation run(StartTlsConnector connector, String serverName)
      throws StartTlsConnector.ConnectionFailure {
    try {
      return connector.exchange(connection -> renegotiate(connection, serverName));
    } catch (TlsParseException e) {
      throw new IllegalStateException("the renegotiation probe parses no TLS itself", e);
    } catch (IOException e) {
      // TODO: servers whose TLS 1.2 suites the JDK does not enable (or with only TLS 1.0/1.1)
      // need a client that can renegotiate with any suite; BouncyCastle's TLS client cannot.
      return new TlsPosture.ClientRenegotiation(
          0, 0, "not tested: the TLS 1.2 handshake with the JDK failed: " + Failures.reason(e));
    }
  }

  private static TlsPosture.ClientRenegotiation renegotiate(
      StartTlsDialogue.Ready connection, String serverName) throws IOException {
    SSLSocket tls = layer(connection.socket(), serverName);
    Semaphore completed = new Semaphore(0);
    tls.addHandshakeCompletedListener(event -> completed.release());
    tls.startHandshake();
    awaitCompletion(completed);
    connection.smtp().upgrade(tls);

    int allowed = 0;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        // RFC 5246 §7.4.1.2: a new ClientHello on the established connection; the JDK finishes
        // the handshake while it reads the reply to the NOOP.
        tls.startHandshake();
        connection.smtp().send("NOOP");
        SmtpReply reply = connection.smtp().readReply();
        if (!awaitCompletion(completed)) {
          return new TlsPosture.ClientRenegotiation(
              attempt,
              allowed,
              "server ignored renegotiation attempt " + attempt + " (" + reply.text() + ")");
        }
      } catch (IOException e) {
        return new TlsPosture.ClientRenegotiation(
            attempt,
            allowed,
            "server refused renegotiation attempt " + attempt + ": " + Failures.reason(e));
      }
      allowed++;
    }
    return new TlsPosture.ClientRenegotiation(ATTEMPTS, allowed, null);
  }

  private static boolean awaitCompletion(Semaphore completed) {
    try {
      return completed.tryAcquire(COMPLETION_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static SSLSocket layer(Socket socket, String serverName) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AcceptAll()}, null);
      String host = serverName != null ? serverName : socket.getInetAddress().getHostAddress();
      SSLSocket tls =
          (SSLSocket)
              context.getSocketFactory().createSocket(socket, host, socket.getPort(), false);
      tls.setEnabledProtocols(new String[] {"TLSv1.2"});
      SSLParameters parameters = tls.getSSLParameters();
      if (serverName != null) {
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
      }
      tls.setSSLParameters(parameters);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up the JDK's TLS client: " + e.getMessage(), e);
    }
  }

  /** The probe grades nothing about the certificate, so any chain is accepted. */
  private static final class AcceptAll extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
