package io.mxwatch.check.policy.mtasts;

import io.mxwatch.check.auth.DnsNames;
import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.net.AddressPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.jboss.logging.Logger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * Fetches MTA-STS policies over HTTPS (RFC 8461 §3.3) with Apache HttpClient. The policy host is
 * resolved through mxwatch's {@link Dns}, never the system resolver, and special-purpose addresses
 * are rejected unless the scan allows them. Certificates are validated against the configured trust
 * store, redirects are not followed, and the body is read up to a size limit within a deadline.
 */
public final class HttpsPolicyFetcher implements PolicyFetcher {
  private static final Logger LOG = Logger.getLogger(HttpsPolicyFetcher.class);

  /** The path of the policy (RFC 8461 §3.3). */
  public static final String POLICY_PATH = "/.well-known/mta-sts.txt";

  /**
   * Limits and trust of policy fetching.
   *
   * @param port the HTTPS port of policy hosts (443 except in tests)
   * @param connectTimeout time allowed for the TCP connection
   * @param readTimeout time allowed between two reads
   * @param totalTimeout time allowed for the whole fetch, body included
   * @param maxPolicyBytes the largest policy accepted; RFC 8461 §3.3 suggests 64 KiB
   * @param trustStore the roots certificates must chain to, or null for the JDK's trust store
   */
  public record Settings(
      int port,
      Duration connectTimeout,
      Duration readTimeout,
      Duration totalTimeout,
      int maxPolicyBytes,
      KeyStore trustStore) {

    public static Settings defaults() {
      return new Settings(
          443,
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          65_536,
          null);
    }

    public Settings withPort(int newPort) {
      return new Settings(
          newPort, connectTimeout, readTimeout, totalTimeout, maxPolicyBytes, trustStore);
    }

    public Settings withTrustStore(KeyStore store) {
      return new Settings(port, connectTimeout, readTimeout, totalTimeout, maxPolicyBytes, store);
    }

    public Settings withTimeouts(Duration connect, Duration read, Duration total) {
      return new Settings(port, connect, read, total, maxPolicyBytes, trustStore);
    }

    public Settings withMaxPolicyBytes(int bytes) {
      return new Settings(port, connectTimeout, readTimeout, totalTimeout, bytes, trustStore);
    }
  }

  private final Settings settings;
  private final SSLContext sslContext;

  public HttpsPolicyFetcher(Settings settings) {
    this.settings = settings;
    this.sslContext = sslContext(settings.trustStore());
  }

  private static SSLContext sslContext(KeyStore trustStore) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for MTA-STS policy fetching", e);
    }
  }

  @Override
  public FetchResult fetch(String policyDomain, Dns dns, AddressPolicy addressPolicy) {
    String host = "mta-sts." + policyDomain;
    String url =
        "https://" + host + (settings.port() == 443 ? "" : ":" + settings.port()) + POLICY_PATH;

    Resolution resolution = resolve(host, dns, addressPolicy);
    if (resolution.failure() != null) {
      return new FetchResult.Failed(url, resolution.conclusive(), resolution.failure());
    }
    List<InetAddress> addresses = resolution.addresses();
    DnsResolver resolver =
        new DnsResolver() {
          @Override
          public InetAddress[] resolve(String name) throws UnknownHostException {
            if (!name.equalsIgnoreCase(host)) {
              throw new UnknownHostException(name + " is not the policy host");
            }
            return addresses.toArray(InetAddress[]::new);
          }

          @Override
          public String resolveCanonicalHostname(String name) {
            return name;
          }
        };

    long deadline = System.nanoTime() + settings.totalTimeout().toNanos();
    try (CloseableHttpClient client = client(resolver)) {
      return client.execute(new HttpGet(url), response -> read(response, url, deadline));
    } catch (SSLException e) {
      LOG.debugf(e, "TLS with %s failed", url);
      return new FetchResult.Failed(url, true, tlsFailure(host, e), e.toString());
    } catch (SocketTimeoutException e) {
      return new FetchResult.Failed(url, false, "timed out: " + e.getMessage());
    } catch (ConnectException e) {
      return new FetchResult.Failed(url, false, "cannot connect: " + e.getMessage());
    } catch (IOException e) {
      LOG.debugf(e, "MTA-STS policy fetch from %s failed", url);
      return new FetchResult.Failed(url, false, "fetch failed: " + e);
    }
  }

  /**
   * Describes a failed TLS connection in plain words: why the certificate is not trusted, as far as
   * the causes of the exception tell, or that the handshake failed.
   */
  static String tlsFailure(String host, SSLException exception) {
    String notTrusted = "the certificate of " + host + " is not trusted because ";
    for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateExpiredException) {
        return notTrusted + "it has expired";
      }
      if (cause instanceof CertificateNotYetValidException) {
        return notTrusted + "it is not valid yet";
      }
      if (cause instanceof CertPathValidatorException validator) {
        if (validator.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
          return notTrusted + "it has expired";
        }
        if (validator.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
          return notTrusted + "it is not valid yet";
        }
        if (validator.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
          return notTrusted + "it has been revoked";
        }
      }
      if (cause instanceof SSLPeerUnverifiedException || isNameMismatch(cause)) {
        return notTrusted + "it does not match the name " + host;
      }
      if (cause instanceof CertPathBuilderException) {
        return notTrusted + "its issuer is unknown: it does not chain to a trusted root";
      }
    }
    return "the TLS handshake with " + host + " failed";
  }

  /**
   * True for a failed hostname check of the JDK's trust manager. It has no exception type of its
   * own, so this reads the message: "No subject alternative DNS name matching ..." or "No name
   * matching ..." (checked on JDK 25).
   */
  private static boolean isNameMismatch(Throwable cause) {
    String message = cause.getMessage();
    return cause instanceof CertificateException
        && message != null
        && (message.startsWith("No subject alternative") || message.startsWith("No name matching"));
  }

  private CloseableHttpClient client(DnsResolver resolver) {
    var connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(resolver)
            .setTlsSocketStrategy(
                ClientTlsStrategyBuilder.create().setSslContext(sslContext).buildClassic())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                    .setSocketTimeout(Timeout.of(settings.readTimeout()))
                    .build())
            .build();
    return HttpClients.custom()
        .setConnectionManager(connections)
        // RFC 8461 §3.3: redirects are not followed, and the policy is not cached.
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableContentCompression()
        .setDefaultRequestConfig(
            RequestConfig.custom().setResponseTimeout(Timeout.of(settings.readTimeout())).build())
        .build();
  }

  private FetchResult read(ClassicHttpResponse response, String url, long deadline)
      throws IOException {
    int status = response.getCode();
    if (status >= 300 && status < 400) {
      Header location = response.getFirstHeader("Location");
      return new FetchResult.Failed(
          url,
          true,
          "HTTP "
              + status
              + " redirect"
              + (location == null ? "" : " to " + location.getValue())
              + "; senders do not follow redirects (RFC 8461 §3.3)");
    }
    if (status != 200) {
      return new FetchResult.Failed(url, true, "HTTP status " + status + " instead of 200");
    }
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      return new FetchResult.Failed(url, true, "HTTP 200 without a body");
    }
    Header contentType = response.getFirstHeader("Content-Type");
    byte[] body;
    try (InputStream in = entity.getContent()) {
      body = readBounded(in, deadline);
    }
    if (body == null) {
      return new FetchResult.Failed(
          url, true, "the policy is larger than " + settings.maxPolicyBytes() + " bytes");
    }
    return new FetchResult.Fetched(
        url,
        contentType == null ? null : contentType.getValue().toLowerCase(Locale.ROOT),
        new String(body, StandardCharsets.UTF_8));
  }

  /** Reads at most the size limit; null when the body is larger. */
  private byte[] readBounded(InputStream in, long deadline) throws IOException {
    byte[] buffer = new byte[settings.maxPolicyBytes() + 1];
    int total = 0;
    while (total < buffer.length) {
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException(
            "the policy did not arrive within " + settings.totalTimeout().toSeconds() + " s");
      }
      int read = in.read(buffer, total, buffer.length - total);
      if (read < 0) {
        return java.util.Arrays.copyOf(buffer, total);
      }
      total += read;
    }
    return null;
  }

  /** The allowed addresses of the policy host, or why there are none. */
  private record Resolution(List<InetAddress> addresses, String failure, boolean conclusive) {}

  private static Resolution resolve(String host, Dns dns, AddressPolicy addressPolicy) {
    DnsAnswer a = DnsNames.query(dns, host, Type.A);
    DnsAnswer aaaa = DnsNames.query(dns, host, Type.AAAA);
    List<InetAddress> found = new ArrayList<>();
    a.recordsAs(ARecord.class).forEach(r -> found.add(r.getAddress()));
    aaaa.recordsAs(AAAARecord.class).forEach(r -> found.add(r.getAddress()));
    if (found.isEmpty()) {
      for (DnsAnswer answer : List.of(a, aaaa)) {
        if (answer.inconclusive() || answer.bogus()) {
          return new Resolution(
              List.of(), "cannot resolve " + host + ": " + answer.describe(), false);
        }
      }
      return new Resolution(
          List.of(), host + " has no A or AAAA record (" + a.outcome() + ")", true);
    }
    List<InetAddress> allowed = new ArrayList<>();
    String rejection = null;
    for (InetAddress address : found) {
      var reason = addressPolicy.rejectionReason(address);
      if (reason.isPresent()) {
        rejection = reason.get();
      } else {
        allowed.add(address);
      }
    }
    if (allowed.isEmpty()) {
      return new Resolution(List.of(), "not fetched: " + rejection, false);
    }
    return new Resolution(allowed, null, true);
  }
}
