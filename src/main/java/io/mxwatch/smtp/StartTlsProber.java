package io.mxwatch.smtp;

import io.mxwatch.net.Addresses;
import io.mxwatch.net.Failures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    List<String> transcript = new ArrayList<>();
    StartTlsDialogue.Result result =
        StartTlsDialogue.open(address, port, timeout, heloName, transcript);
    if (result instanceof StartTlsDialogue.Stopped stopped) {
      return new SmtpEvidence(
          host,
          Addresses.text(address),
          port,
          stopped.outcome(),
          stopped.greeting(),
          stopped.keywords(),
          null,
          null,
          List.of(),
          stopped.reply(),
          stopped.message(),
          transcript,
          1);
    }
    StartTlsDialogue.Ready ready = (StartTlsDialogue.Ready) result;
    try (ready) {
      return handshake(host, address, port, ready, transcript);
    } catch (IOException e) {
      return failed(host, address, port, ready, transcript, SmtpOutcome.CONNECT_FAILED, e);
    }
  }

  private SmtpEvidence handshake(
      String host,
      InetAddress address,
      int port,
      StartTlsDialogue.Ready ready,
      List<String> transcript) {
    try {
      ChainCapture capture = new ChainCapture();
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {capture}, null);
      SSLSocket tls =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(ready.socket(), address.getHostAddress(), port, false);
      SSLParameters parameters = tls.getSSLParameters();
      if (isHostName(host)) {
        parameters.setServerNames(List.of(new SNIHostName(host)));
      }
      tls.setSSLParameters(parameters);
      tls.startHandshake();
      SSLSession session = tls.getSession();
      List<X509Certificate> chain = capture.chain();
      ready.smtp().upgrade(tls);
      StartTlsDialogue.quit(ready.smtp());
      return new SmtpEvidence(
          host,
          Addresses.text(address),
          port,
          SmtpOutcome.TLS_ESTABLISHED,
          ready.greeting(),
          ready.keywords(),
          session.getProtocol(),
          session.getCipherSuite(),
          chain,
          null,
          null,
          transcript,
          1);
    } catch (SocketTimeoutException e) {
      return failed(host, address, port, ready, transcript, SmtpOutcome.HANDSHAKE_TIMEOUT, e);
    } catch (SSLException e) {
      return failed(host, address, port, ready, transcript, SmtpOutcome.HANDSHAKE_FAILED, e);
    } catch (IOException e) {
      return failed(host, address, port, ready, transcript, SmtpOutcome.CONNECT_FAILED, e);
    } catch (GeneralSecurityException e) {
      LOG.errorf(e, "cannot set up TLS for %s/%s", host, Addresses.text(address));
      return failed(host, address, port, ready, transcript, SmtpOutcome.HANDSHAKE_FAILED, e);
    }
  }

  private SmtpEvidence failed(
      String host,
      InetAddress address,
      int port,
      StartTlsDialogue.Ready ready,
      List<String> transcript,
      SmtpOutcome outcome,
      Exception e) {
    String message =
        switch (outcome) {
          case HANDSHAKE_FAILED ->
              e instanceof SSLException
                  ? Failures.reason(e)
                  : "TLS handshake failed: the scanner could not set up its TLS client";
          case HANDSHAKE_TIMEOUT -> "TLS handshake timed out after " + timeout.toSeconds() + " s";
          default -> Failures.reason(e);
        };
    return new SmtpEvidence(
        host,
        Addresses.text(address),
        port,
        outcome,
        ready.greeting(),
        ready.keywords(),
        null,
        null,
        List.of(),
        "220 ready for TLS",
        message,
        transcript,
        1);
  }

  /** True for a DNS name, which SNI may carry; IP literals are not allowed there (RFC 6066 §3). */
  static boolean isHostName(String host) {
    return host != null && !host.isEmpty() && !host.contains(":") && !host.matches("[0-9.]+");
  }
}
