package io.mxwatch.check.cert;

import io.mxwatch.check.Findings;
import io.mxwatch.check.tls.NcscLevel;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.scan.Certificates;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;

/** The certificate rules: pure functions from a chain as sent to findings. */
public final class CertGrading {
  private CertGrading() {}

  private static final Set<String> SUFFICIENT_CURVES =
      Set.of(
          "secp256r1",
          "secp384r1",
          "secp521r1",
          "prime256v1",
          "brainpoolP256r1",
          "brainpoolP384r1",
          "brainpoolP512r1");

  /** NCSC §3.3.2.1: the level of a certificate's public key. */
  public static NcscLevel keyLevel(X509Certificate certificate) {
    PublicKey key = certificate.getPublicKey();
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits >= 3072) {
        return NcscLevel.SUFFICIENT;
      }
      return bits >= 2048 ? NcscLevel.PHASE_OUT : NcscLevel.INSUFFICIENT;
    }
    // The JDK parses only the curves it implements into an ECPublicKey. Other curves (secp224r1,
    // secp256k1, brainpool) arrive as a generic key of algorithm "EC", graded by its encoding.
    if (key instanceof ECPublicKey || key.getAlgorithm().equals("EC")) {
      String curve = Certificates.curveName(key);
      if (SUFFICIENT_CURVES.contains(curve)) {
        return NcscLevel.SUFFICIENT;
      }
      return curve.equals("secp224r1") ? NcscLevel.PHASE_OUT : NcscLevel.INSUFFICIENT;
    }
    String algorithm = key.getAlgorithm();
    if (algorithm.equals("Ed25519") || algorithm.equals("Ed448") || algorithm.equals("EdDSA")) {
      return NcscLevel.SUFFICIENT;
    }
    return NcscLevel.INSUFFICIENT;
  }

  /**
   * NCSC §3.3.5: the level of a certificate's signature algorithm. RSA (PKCS#1 v1.5 or PSS), ECDSA
   * and EdDSA with SHA-256 or stronger are sufficient, SHA-224 is phase-out, and SHA-1, MD5, DSA
   * and anything unknown are insufficient.
   */
  public static NcscLevel signatureLevel(X509Certificate certificate) {
    String oid = certificate.getSigAlgOID();
    return switch (oid) {
      case "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13" ->
          NcscLevel.SUFFICIENT; // sha256/384/512WithRSAEncryption
      case "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4" ->
          NcscLevel.SUFFICIENT; // ecdsa-with-SHA256/384/512
      case "1.3.101.112", "1.3.101.113" -> NcscLevel.SUFFICIENT; // Ed25519, Ed448
      case "1.2.840.113549.1.1.14", "1.2.840.10045.4.3.1" ->
          NcscLevel.PHASE_OUT; // SHA-224 with RSA or ECDSA
      case "1.2.840.113549.1.1.10" -> pssLevel(certificate.getSigAlgParams());
      default -> NcscLevel.INSUFFICIENT;
    };
  }

  /** RSASSA-PSS (RFC 4055 §3.1) names its hash in the parameters; SHA-1 when absent. */
  static NcscLevel pssLevel(byte[] encodedParameters) {
    if (encodedParameters == null) {
      return NcscLevel.INSUFFICIENT;
    }
    try {
      RSASSAPSSparams parameters = RSASSAPSSparams.getInstance(encodedParameters);
      String hash = parameters.getHashAlgorithm().getAlgorithm().getId();
      return switch (hash) {
        case "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3" ->
            NcscLevel.SUFFICIENT; // SHA-256, SHA-384, SHA-512
        case "2.16.840.1.101.3.4.2.4" -> NcscLevel.PHASE_OUT; // SHA-224
        default -> NcscLevel.INSUFFICIENT;
      };
    } catch (RuntimeException e) {
      return NcscLevel.INSUFFICIENT;
    }
  }

  /** {@code cert.expiry}: every certificate in the chain, the soonest to expire decides. */
  public static Finding expiry(
      String target, List<X509Certificate> chain, Instant now, int warnDays, int failDays) {
    List<Map<String, Object>> certificates = new ArrayList<>();
    Status worst = Status.PASS;
    X509Certificate soonest = null;
    long soonestDays = Long.MAX_VALUE;
    for (int depth = 0; depth < chain.size(); depth++) {
      X509Certificate certificate = chain.get(depth);
      Instant notAfter = certificate.getNotAfter().toInstant();
      long days = Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
      Status status =
          days < failDays || notAfter.isBefore(now)
              ? Status.FAIL
              : days < warnDays ? Status.WARN : Status.PASS;
      Map<String, Object> entry = describe(depth, certificate);
      entry.put("not_after", notAfter.toString());
      entry.put("days_left", days);
      entry.put("status", status.wireName());
      certificates.add(entry);
      if (days < soonestDays) {
        soonestDays = days;
        soonest = certificate;
      }
      if (status.severity() > worst.severity()) {
        worst = status;
      }
    }
    Map<String, Object> details = Map.of("certificates", certificates);
    String subject = soonest.getSubjectX500Principal().getName();
    Instant notAfter = soonest.getNotAfter().toInstant();
    if (notAfter.isBefore(now)) {
      return finding(
          Check.CERT_EXPIRY,
          Status.FAIL,
          target,
          "certificate " + subject + " expired on " + notAfter,
          details,
          "Renew the certificate now and reload the mail server; sending servers that"
              + " authenticate (DANE-TA, MTA-STS) refuse to deliver over an expired chain.");
    }
    String summary =
        "certificate "
            + subject
            + " expires in "
            + Findings.count(soonestDays, "day")
            + " ("
            + notAfter
            + ")";
    return switch (worst) {
      case FAIL ->
          finding(
              Check.CERT_EXPIRY,
              Status.FAIL,
              target,
              summary,
              details,
              "Renew the certificate now: it expires in less than "
                  + Findings.count(failDays, "day")
                  + ". Check"
                  + " why automatic renewal (ACME client, cron job) did not run.");
      case WARN ->
          finding(
              Check.CERT_EXPIRY,
              Status.WARN,
              target,
              summary,
              details,
              "Renew the certificate within the next days, then reload the mail server. If a"
                  + " TLSA record pins the current key, publish the new key's record first.");
      default -> finding(Check.CERT_EXPIRY, Status.PASS, target, summary, details, null);
    };
  }

  /** {@code cert.pubkey}: every certificate sent except a trust-store root. */
  public static Finding publicKey(String target, List<X509Certificate> chain, TrustStore roots) {
    List<Map<String, Object>> graded = new ArrayList<>();
    NcscLevel worst = NcscLevel.GOOD;
    String worstKey = null;
    for (int depth = 0; depth < chain.size(); depth++) {
      X509Certificate certificate = chain.get(depth);
      if (roots.isRoot(certificate)) {
        continue;
      }
      NcscLevel level = keyLevel(certificate);
      Map<String, Object> entry = describe(depth, certificate);
      entry.put("key", Certificates.keyDescription(certificate));
      entry.put("level", level.label());
      graded.add(entry);
      if (level.ordinal() > worst.ordinal() || worstKey == null) {
        worst = NcscLevel.worst(worst, level);
        worstKey =
            Certificates.keyDescription(certificate)
                + " in "
                + certificate.getSubjectX500Principal().getName();
      }
    }
    Map<String, Object> details = Map.of("certificates", graded);
    return switch (worst) {
      case INSUFFICIENT ->
          finding(
              Check.CERT_PUBKEY,
              Status.FAIL,
              target,
              "insufficient key: " + worstKey,
              details,
              "Replace the certificate with one for an EC P-256 or P-384 key, or RSA of at least"
                  + " 3072 bits (for example: openssl req -new -newkey ec -pkeyopt"
                  + " ec_paramgen_curve:P-256 ...). Update any TLSA 3 1 1 record to the new key.");
      case PHASE_OUT ->
          finding(
              Check.CERT_PUBKEY,
              Status.WARN,
              target,
              "phase-out key: " + worstKey,
              details,
              "At the next renewal, request a certificate for an EC P-256 or P-384 key, or RSA"
                  + " of at least 3072 bits; RSA 2048 is phase-out in the NCSC guidelines.");
      default ->
          finding(
              Check.CERT_PUBKEY,
              Status.PASS,
              target,
              "every key is sufficient (" + Findings.count(graded.size(), "certificate") + ")",
              details,
              null);
    };
  }

  /** {@code cert.signature}: every certificate sent except a trust-store root. */
  public static Finding signature(String target, List<X509Certificate> chain, TrustStore roots) {
    List<Map<String, Object>> graded = new ArrayList<>();
    NcscLevel worst = NcscLevel.GOOD;
    String worstCertificate = null;
    for (int depth = 0; depth < chain.size(); depth++) {
      X509Certificate certificate = chain.get(depth);
      if (roots.isRoot(certificate)) {
        continue;
      }
      NcscLevel level = signatureLevel(certificate);
      Map<String, Object> entry = describe(depth, certificate);
      entry.put("signature", certificate.getSigAlgName());
      entry.put("level", level.label());
      graded.add(entry);
      if (level.ordinal() > worst.ordinal() || worstCertificate == null) {
        worst = NcscLevel.worst(worst, level);
        worstCertificate =
            certificate.getSigAlgName() + " on " + certificate.getSubjectX500Principal().getName();
      }
    }
    Map<String, Object> details = Map.of("certificates", graded);
    return switch (worst) {
      case INSUFFICIENT ->
          finding(
              Check.CERT_SIGNATURE,
              Status.FAIL,
              target,
              "insufficient signature: " + worstCertificate,
              details,
              "Replace the certificate (or the intermediate) with one signed with SHA-256 or"
                  + " stronger; SHA-1 and MD5 signatures can be forged.");
      case PHASE_OUT ->
          finding(
              Check.CERT_SIGNATURE,
              Status.WARN,
              target,
              "phase-out signature: " + worstCertificate,
              details,
              "At the next renewal, ask the CA for a SHA-256 or stronger signature.");
      default ->
          finding(
              Check.CERT_SIGNATURE,
              Status.PASS,
              target,
              "every signature uses SHA-256 or stronger ("
                  + Findings.count(graded.size(), "certificate")
                  + ")",
              details,
              null);
    };
  }

  static Map<String, Object> describe(int depth, X509Certificate certificate) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("depth", depth);
    entry.put("subject", certificate.getSubjectX500Principal().getName());
    return entry;
  }

  static Finding finding(
      Check check,
      Status status,
      String target,
      String summary,
      Map<String, Object> details,
      String advice) {
    return new Finding(check.id(), status, target, summary, details, advice);
  }
}
