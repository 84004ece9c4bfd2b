package io.mxwatch.check.cert;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The public roots a certificate chain is checked against. */
public final class TrustStore {
  private static volatile TrustStore jdkDefault;

  private final List<X509Certificate> roots;

  private TrustStore(List<X509Certificate> roots) {
    this.roots = List.copyOf(roots);
  }

  public static TrustStore of(List<X509Certificate> roots) {
    return new TrustStore(roots);
  }

  /** The JDK's default trust store ({@code lib/security/cacerts}), loaded once. */
  public static TrustStore jdkDefault() {
    TrustStore store = jdkDefault;
    if (store == null) {
      store = new TrustStore(loadJdkRoots());
      jdkDefault = store;
    }
    return store;
  }

  public List<X509Certificate> roots() {
    return roots;
  }

  /** True when {@code certificate} is one of the roots, compared by its DER encoding. */
  public boolean isRoot(X509Certificate certificate) {
    for (X509Certificate root : roots) {
      if (root.equals(certificate)) {
        return true;
      }
    }
    return false;
  }

  private static List<X509Certificate> loadJdkRoots() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return Arrays.asList(x509.getAcceptedIssuers());
        }
      }
      throw new IllegalStateException("the JDK has no X.509 trust manager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the JDK trust store", e);
    }
  }
}
