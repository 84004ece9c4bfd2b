package io.mxwatch.check.cert;

import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code cert.trust}: whether the chain as sent leads to a public root and names the MX host.
 * Reported as info, because for SMTP it is DANE that authenticates a server. A sending server does
 * not fetch missing intermediates, so they are reported as such.
 */
public final class ChainTrust {
  private ChainTrust() {}

  public static Finding evaluate(
      String target, List<X509Certificate> chain, String host, TrustStore roots, Instant now) {
    X509Certificate leaf = chain.get(0);
    Map<String, Object> details = new LinkedHashMap<>();
    boolean hostMatch = HostnameMatch.matches(leaf, host);
    details.put("host", host);
    details.put("host_match", hostMatch);
    details.put("names", HostnameMatch.identifiers(leaf));

    String problem = validate(chain, roots, now);
    boolean missingIntermediate = problem != null && missingIntermediate(chain, roots);
    details.put("trusted", problem == null);
    details.put("missing_intermediate", missingIntermediate);
    if (problem != null) {
      details.put("reason", problem);
    }

    List<String> issues = new ArrayList<>();
    List<String> advice = new ArrayList<>();
    if (missingIntermediate) {
      issues.add("the chain lacks the intermediate certificate that issued " + lastSubject(chain));
      advice.add(
          "Install the full chain (leaf first, then each intermediate) in the server's"
              + " certificate file, such as Postfix smtpd_tls_chain_files; a sending server does"
              + " not fetch missing intermediates.");
    } else if (problem != null) {
      issues.add("no chain to a public root: " + problem);
      advice.add(
          "If senders should be able to authenticate the server without DANE (MTA-STS needs"
              + " this), use a certificate from a public CA.");
    }
    if (!hostMatch) {
      issues.add("the certificate does not name " + host);
      advice.add(
          "Include "
              + host
              + " in the certificate's subjectAltName; MTA-STS and DANE-TA"
              + " senders check the MX host name.");
    }
    String summary =
        issues.isEmpty()
            ? "chain to a public root, and the certificate names " + host
            : String.join("; ", issues);
    return new Finding(
        Check.CERT_TRUST.id(),
        Status.INFO,
        target,
        summary,
        details,
        advice.isEmpty() ? null : String.join(" ", advice));
  }

  /** The reason the chain does not validate against the roots, or null when it does. */
  static String validate(List<X509Certificate> chain, TrustStore roots, Instant now) {
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate root : roots.roots()) {
      anchors.add(new TrustAnchor(root, null));
    }
    if (anchors.isEmpty()) {
      return "the trust store is empty";
    }
    List<X509Certificate> path = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      if (!roots.isRoot(certificate)) {
        path.add(certificate);
      }
    }
    if (path.isEmpty()) {
      return null;
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
      return null;
    } catch (CertPathValidatorException e) {
      return describe(e);
    } catch (GeneralSecurityException e) {
      return "the chain could not be validated";
    }
  }

  /** Describes the validator's reason in words, since its own message names internal states. */
  static String describe(CertPathValidatorException e) {
    String position = e.getIndex() >= 0 ? " (certificate " + e.getIndex() + " of the chain)" : "";
    return switch (e.getReason().toString()) {
      case "NO_TRUST_ANCHOR" -> "the chain does not lead to a trusted root";
      case "EXPIRED" -> "a certificate has expired" + position;
      case "NOT_YET_VALID" -> "a certificate is not valid yet" + position;
      case "REVOKED" -> "a certificate has been revoked" + position;
      case "INVALID_SIGNATURE" -> "a signature in the chain does not verify" + position;
      case "ALGORITHM_CONSTRAINED" ->
          "the chain uses a signature algorithm or key size that validators reject" + position;
      case "INVALID_NAME", "INVALID_POLICY", "INVALID_KEY_USAGE", "PATH_TOO_LONG", "NOT_CA_CERT" ->
          "an issuing certificate is not allowed to issue this chain"
              + position
              + ": "
              + e.getReason().toString().toLowerCase(Locale.ROOT).replace('_', ' ');
      default -> "the chain could not be validated" + position;
    };
  }

  /**
   * True when the server sent only end-entity certificates and the issuer is not a root: public CAs
   * issue server certificates from intermediates, which the server must send itself. A chain that
   * ends in a CA certificate with an unknown issuer has an unknown root instead.
   */
  static boolean missingIntermediate(List<X509Certificate> chain, TrustStore roots) {
    X509Certificate last = chain.get(chain.size() - 1);
    if (last.getIssuerX500Principal().equals(last.getSubjectX500Principal())
        || last.getBasicConstraints() >= 0) {
      return false;
    }
    for (X509Certificate root : roots.roots()) {
      if (root.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
        return false;
      }
    }
    return true;
  }

  private static String lastSubject(List<X509Certificate> chain) {
    return chain.get(chain.size() - 1).getSubjectX500Principal().getName();
  }
}
