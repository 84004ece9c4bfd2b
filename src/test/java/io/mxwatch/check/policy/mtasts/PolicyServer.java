package io.mxwatch.check.policy.mtasts;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mxwatch.testworld.CertFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server on a loopback address that serves one MTA-STS policy response, with a certificate
 * from a test CA.
 */
public final class PolicyServer implements AutoCloseable {
  private static final char[] PASSWORD = "test".toCharArray();

  private final HttpsServer server;
  private volatile int status = 200;
  private volatile String body = "";
  private volatile Map<String, String> headers = Map.of("Content-Type", "text/plain");

  private PolicyServer(HttpsServer server) {
    this.server = server;
  }

  /** Starts a server on {@code address} with a certificate for {@code hosts} from {@code ca}. */
  public static PolicyServer start(String address, CertFactory.Issued ca, List<String> hosts) {
    CertFactory.Issued leaf =
        CertFactory.leaf(
            hosts, CertFactory.keyPair(CertFactory.KeyType.EC_P256), ca, Duration.ofDays(30));
    return start(address, ca, leaf);
  }

  /** Starts a server on {@code address} that presents {@code leaf}, issued by {@code ca}. */
  public static PolicyServer start(String address, CertFactory.Issued ca, CertFactory.Issued leaf) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "leaf",
          leaf.keyPair().getPrivate(),
          PASSWORD,
          new Certificate[] {leaf.certificate(), ca.certificate()});
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, PASSWORD);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keyManagers.getKeyManagers(), null, null);

      HttpsServer https =
          HttpsServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      PolicyServer policyServer = new PolicyServer(https);
      https.createContext("/", policyServer::handle);
      https.start();
      return policyServer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A trust store that holds only {@code ca}. */
  public static KeyStore trustStore(CertFactory.Issued ca) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", ca.certificate());
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public PolicyServer respond(int newStatus, Map<String, String> newHeaders, String newBody) {
    status = newStatus;
    headers = newHeaders;
    body = newBody;
    return this;
  }

  public PolicyServer policy(String policy) {
    return respond(200, Map.of("Content-Type", "text/plain"), policy);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    boolean policyPath = exchange.getRequestURI().getPath().equals(HttpsPolicyFetcher.POLICY_PATH);
    headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.sendResponseHeaders(policyPath ? status : 404, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
