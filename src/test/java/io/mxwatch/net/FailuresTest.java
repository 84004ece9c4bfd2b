package io.mxwatch.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void reason_timeout() {
    assertThat(Failures.reason(new SocketTimeoutException("Read timed out")))
        .isEqualTo("timed out");
    assertThat(Failures.reason(new SocketTimeoutException())).isEqualTo("timed out");
  }

  @Test
  void reason_connectionRefused() {
    assertThat(Failures.reason(new ConnectException("Connection refused")))
        .isEqualTo("connection refused");
  }

  @Test
  void reason_connectionReset() {
    assertThat(Failures.reason(new SocketException("Connection reset")))
        .isEqualTo("connection reset");
    assertThat(Failures.reason(new EOFException())).isEqualTo("connection closed by the server");
  }

  @Test
  void reason_tlsAlertNamesAlert() {
    SSLHandshakeException alert =
        new SSLHandshakeException("Received fatal alert: handshake_failure");

    assertThat(Failures.reason(alert)).isEqualTo("TLS handshake failed: handshake_failure");
  }

  @Test
  void reason_tlsFailureWithCause() {
    SSLHandshakeException closed =
        new SSLHandshakeException("Remote host terminated the handshake");
    closed.initCause(new EOFException("SSL peer shut down incorrectly"));
    SSLException wrapped = new SSLException(new SocketException("Connection reset"));

    assertThat(Failures.reason(closed))
        .isEqualTo("TLS handshake failed: connection closed by the server");
    assertThat(Failures.reason(wrapped)).isEqualTo("TLS handshake failed: connection reset");
  }

  @Test
  void reason_certificateParse() {
    CertificateException broken =
        new CertificateException("Could not parse certificate: java.io.IOException: short read");

    assertThat(Failures.reason(broken)).isEqualTo("certificate parse failed");
  }

  @Test
  void reason_hasNoClassNamesOrNull() {
    String reason = Failures.reason(new IOException(new IllegalStateException("stream closed")));

    assertThat(reason).isEqualTo("stream closed");
    assertThat(Failures.reason(new IOException())).isEqualTo("failed");
  }
}
