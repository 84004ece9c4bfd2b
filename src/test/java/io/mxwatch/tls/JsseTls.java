package io.mxwatch.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A TLS backend with the JDK's own server: chosen protocols and suites. */
public final class JsseTls implements SmtpFront.TlsBackend {
  private final SSLContext context;
  private final String[] protocols;
  private final String[] suites;
  private String[] namedGroups;

  /**
   * @param suites JSSE suite names, or null for the JDK's defaults
   */
  public JsseTls(
      TestPki.Issued leaf,
      List<X509Certificate> chain,
      List<String> protocols,
      List<String> suites) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", leaf.key(), new char[0], chain.toArray(new X509Certificate[0]));
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(store, new char[0]);
      context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up the JSSE test server", e);
    }
    this.protocols = protocols.toArray(new String[0]);
    this.suites = suites == null ? null : suites.toArray(new String[0]);
  }

  /** Restricts the groups the server accepts, such as {@code x25519, secp256r1}. */
  public JsseTls withNamedGroups(String... groups) {
    this.namedGroups = groups;
    return this;
  }

  @Override
  public SmtpFront.Streams accept(Socket socket) throws IOException {
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, null, false);
    tls.setUseClientMode(false);
    tls.setEnabledProtocols(protocols);
    if (suites != null) {
      tls.setEnabledCipherSuites(suites);
    }
    if (namedGroups != null) {
      javax.net.ssl.SSLParameters parameters = tls.getSSLParameters();
      parameters.setNamedGroups(namedGroups);
      tls.setSSLParameters(parameters);
    }
    tls.startHandshake();
    return new SmtpFront.Streams(tls.getInputStream(), tls.getOutputStream());
  }
}
