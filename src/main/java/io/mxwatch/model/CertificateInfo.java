package io.mxwatch.model;

import java.time.Instant;

/**
 * Facts about one certificate as a server presented it.
 *
 * @param depth position in the chain as sent, 0 for the leaf
 * @param subject subject DN (RFC 4514 form)
 * @param issuer issuer DN (RFC 4514 form)
 * @param sha256 SHA-256 fingerprint of the DER certificate, lower-case hex
 * @param spkiSha256 SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex (as in TLSA 3 1 1)
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param keyAlgorithm public key algorithm and size, such as {@code EC P-256} or {@code RSA 2048}
 * @param signatureAlgorithm the certificate's signature algorithm, such as {@code SHA256withRSA}
 */
public record CertificateInfo(
    int depth,
    String subject,
    String issuer,
    String sha256,
    String spkiSha256,
    Instant notBefore,
    Instant notAfter,
    String keyAlgorithm,
    String signatureAlgorithm) {}
