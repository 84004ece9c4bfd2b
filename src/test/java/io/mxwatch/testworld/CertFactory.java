package io.mxwatch.testworld;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Generates keys and X.509 certificates for test servers with BouncyCastle. */
public final class CertFactory {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** Key types of test certificates. */
  public enum KeyType {
    EC_P256,
    EC_P384,
    RSA_2048,
    RSA_3072,
    RSA_1024
  }

  /** A certificate with its private key, and the chain above it (without the leaf). */
  public record Issued(KeyPair keyPair, X509Certificate certificate) {}

  private CertFactory() {}

  public static KeyPair keyPair(KeyType type) {
    try {
      KeyPairGenerator generator;
      switch (type) {
        case EC_P256, EC_P384 -> {
          generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(
              new ECGenParameterSpec(type == KeyType.EC_P256 ? "secp256r1" : "secp384r1"));
        }
        default -> {
          generator = KeyPairGenerator.getInstance("RSA");
          int bits =
              switch (type) {
                case RSA_1024 -> 1024;
                case RSA_3072 -> 3072;
                default -> 2048;
              };
          generator.initialize(bits, new SecureRandom());
        }
      }
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed CA certificate valid for ten years. */
  public static Issued ca(String commonName, KeyType type) {
    KeyPair pair = keyPair(type);
    Instant now = Instant.now();
    X509Certificate certificate =
        build(
            "CN=" + commonName,
            pair,
            "CN=" + commonName,
            pair,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(3650)),
            true,
            List.of(),
            defaultSignature(pair));
    return new Issued(pair, certificate);
  }

  /** An intermediate CA signed by {@code issuer}. */
  public static Issued intermediate(String commonName, KeyType type, Issued issuer) {
    KeyPair pair = keyPair(type);
    Instant now = Instant.now();
    X509Certificate certificate =
        build(
            "CN=" + commonName,
            pair,
            issuer.certificate().getSubjectX500Principal().getName(),
            issuer.keyPair(),
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(1825)),
            true,
            List.of(),
            defaultSignature(issuer.keyPair()));
    return new Issued(pair, certificate);
  }

  /** A server certificate for {@code hosts}, valid from yesterday for {@code validity}. */
  public static Issued leaf(List<String> hosts, KeyPair pair, Issued issuer, Duration validity) {
    return leaf(hosts, pair, issuer, Instant.now().minus(Duration.ofDays(1)), validity);
  }

  public static Issued leaf(
      List<String> hosts, KeyPair pair, Issued issuer, Instant notBefore, Duration validity) {
    return leaf(hosts, pair, issuer, notBefore, validity, defaultSignature(issuer.keyPair()));
  }

  /** A server certificate signed with an explicit JCA signature algorithm, e.g. SHA1withRSA. */
  public static Issued leaf(
      List<String> hosts,
      KeyPair pair,
      Issued issuer,
      Instant notBefore,
      Duration validity,
      String signatureAlgorithm) {
    X509Certificate certificate =
        build(
            "CN=" + hosts.get(0),
            pair,
            issuer.certificate().getSubjectX500Principal().getName(),
            issuer.keyPair(),
            notBefore,
            notBefore.plus(validity),
            false,
            hosts,
            signatureAlgorithm);
    return new Issued(pair, certificate);
  }

  private static String defaultSignature(KeyPair signer) {
    return signer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
  }

  private static X509Certificate build(
      String subject,
      KeyPair subjectKeys,
      String issuer,
      KeyPair issuerKeys,
      Instant notBefore,
      Instant notAfter,
      boolean ca,
      List<String> hosts,
      String signatureAlgorithm) {
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(issuer),
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name(subject),
              subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                hosts.stream()
                    .map(h -> new GeneralName(GeneralName.dNSName, h))
                    .toArray(GeneralName[]::new)));
      }
      var signer = new JcaContentSignerBuilder(signatureAlgorithm).build(issuerKeys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException("cannot build test certificate " + subject, e);
    }
  }
}
