package io.mxwatch.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates for the in-process TLS servers, made with BouncyCastle. */
public final class TestPki {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  private TestPki() {}

  /** A certificate with its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key, KeyPair keyPair) {}

  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed CA certificate valid from a day ago for ten years. */
  public static Issued root(String name, KeyPair keys) {
    Instant now = Instant.now();
    return issue(
        null,
        name,
        keys,
        "SHA256withRSA",
        now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(3650)),
        true,
        List.of());
  }

  /**
   * A certificate for {@code keys} signed by {@code issuer} (or self-signed when null).
   *
   * @param signatureAlgorithm JCA name such as {@code SHA256withRSA}, {@code SHA1withRSA}, {@code
   *     SHA256withECDSA}
   */
  public static Issued issue(
      Issued issuer,
      String name,
      KeyPair keys,
      String signatureAlgorithm,
      Instant notBefore,
      Instant notAfter,
      boolean ca,
      List<String> dnsNames) {
    try {
      X500Name subject = new X500Name("CN=" + name);
      X500Name issuerName =
          issuer == null
              ? subject
              : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
      PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.key();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      }
      if (!dnsNames.isEmpty()) {
        GeneralName[] names =
            dnsNames.stream()
                .map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      var signer =
          new JcaContentSignerBuilder(signatureAlgorithm).setProvider(BC).build(signingKey);
      X509Certificate certificate =
          new JcaX509CertificateConverter().setProvider(BC).getCertificate(builder.build(signer));
      // Re-encode with the JDK's provider so that equals() and the trust store agree.
      X509Certificate jdk =
          (X509Certificate)
              java.security.cert.CertificateFactory.getInstance("X.509")
                  .generateCertificate(new java.io.ByteArrayInputStream(certificate.getEncoded()));
      return new Issued(jdk, keys.getPrivate(), keys);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue test certificate " + name, e);
    }
  }

  /** A leaf for {@code host} issued by {@code issuer}, valid from a day ago for {@code days}. */
  public static Issued leaf(Issued issuer, String host, KeyPair keys, String signature, int days) {
    Instant now = Instant.now();
    return issue(
        issuer,
        host,
        keys,
        signature,
        now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(days)),
        false,
        List.of(host));
  }

  /** A root, an intermediate and a leaf: the usual public-CA shape. */
  public record Chain(Issued root, Issued intermediate, Issued leaf) {
    /** The chain a correct server sends: leaf, then intermediate. */
    public List<X509Certificate> sent() {
      return List.of(leaf.certificate(), intermediate.certificate());
    }
  }

  public static Chain chain(String host, KeyPair leafKeys, String leafSignature, int leafDays) {
    Issued root = root("Test Root " + SERIAL.incrementAndGet(), rsa(2048));
    Instant now = Instant.now();
    Issued intermediate =
        issue(
            root,
            "Test Intermediate " + SERIAL.incrementAndGet(),
            rsa(2048),
            "SHA256withRSA",
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(1000)),
            true,
            List.of());
    Issued leaf = leaf(intermediate, host, leafKeys, leafSignature, leafDays);
    return new Chain(root, intermediate, leaf);
  }
}
