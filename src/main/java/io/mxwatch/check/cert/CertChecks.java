package io.mxwatch.check.cert;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.tls.PostureSource;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.smtp.SmtpEvidence;
import io.mxwatch.tls.TlsPosture;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The certificate checks of every MX address: expiry of each certificate in the chain, public keys,
 * signatures and (as info) the chain to a public root and the host name.
 */
public final class CertChecks implements CheckModule {
  private static final List<Check> CHECKS =
      List.of(Check.CERT_EXPIRY, Check.CERT_PUBKEY, Check.CERT_SIGNATURE, Check.CERT_TRUST);

  private final PostureSource source;
  private final TrustStore roots;

  public CertChecks() {
    this(PostureSource.shared(), null);
  }

  /**
   * @param roots the roots for {@code cert.trust}, or null for the JDK's trust store
   */
  public CertChecks(PostureSource source, TrustStore roots) {
    this.source = source;
    this.roots = roots;
  }

  @Override
  public List<Check> checks() {
    return CHECKS;
  }

  @Override
  public List<Finding> run(ScanContext context) {
    TrustStore trust = roots == null ? TrustStore.jdkDefault() : roots;
    List<Finding> findings = new ArrayList<>();
    for (MxTarget target : context.mx().targets()) {
      for (InetAddress address : target.addresses()) {
        PostureSource.Gathered gathered = source.gather(context, target, address);
        findings.addAll(grade(gathered, target.host(), context, trust));
      }
    }
    return findings;
  }

  private static List<Finding> grade(
      PostureSource.Gathered gathered, String host, ScanContext context, TrustStore trust) {
    String target = gathered.smtp().target();
    if (gathered instanceof PostureSource.Skipped skipped) {
      return same(target, skipped.status(), skipped.reason());
    }
    Chain chain = chainOf(gathered.smtp(), ((PostureSource.Probed) gathered).posture());
    if (chain.certificates().isEmpty()) {
      return same(target, Status.ERROR, chain.problem());
    }
    List<X509Certificate> certificates = chain.certificates();
    Instant now = context.clock().instant();
    var options = context.options();
    return List.of(
        CertGrading.expiry(
            target, certificates, now, options.certExpiryWarnDays(), options.certExpiryFailDays()),
        CertGrading.publicKey(target, certificates, trust),
        CertGrading.signature(target, certificates, trust),
        ChainTrust.evaluate(target, certificates, host, trust, now));
  }

  /**
   * The chain as sent: from the JDK's full handshake when it completed, else from the Certificate
   * message of a TLS 1.2 or older partial handshake.
   */
  record Chain(List<X509Certificate> certificates, String problem) {}

  /**
   * The chain an MX address presented, for DANE and the stored observations too: from the JDK
   * handshake, or, when that failed (a server with only old protocols), from the TLS posture probe.
   * Empty when no TLS session got as far as a certificate.
   */
  public static List<X509Certificate> presentedChain(
      ScanContext context, io.mxwatch.mx.MxTarget target, java.net.InetAddress address) {
    SmtpEvidence smtp = context.smtp(target, address);
    if (!smtp.chain().isEmpty() || smtp.outcome() != io.mxwatch.smtp.SmtpOutcome.HANDSHAKE_FAILED) {
      return smtp.chain();
    }
    PostureSource.Gathered gathered = PostureSource.shared().gather(context, target, address);
    if (gathered instanceof PostureSource.Probed probed) {
      return chainOf(smtp, probed.posture()).certificates();
    }
    return List.of();
  }

  static Chain chainOf(SmtpEvidence smtp, TlsPosture posture) {
    if (!smtp.chain().isEmpty()) {
      return new Chain(smtp.chain(), null);
    }
    if (posture.certificates().isEmpty()) {
      // TODO: a TLS 1.3-only server that the JDK cannot handshake with (a suite or group it
      // lacks) sends its chain encrypted; a full handshake with BouncyCastle's TLS client
      // (bctls) would capture it.
      String why =
          posture.complete()
              ? "no certificate was captured: the JDK handshake failed ("
                  + smtp.error()
                  + ") and no TLS 1.2 or older handshake sent one"
              : "could not tell: " + posture.failure();
      return new Chain(List.of(), why);
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> certificates = new ArrayList<>();
      for (byte[] der : posture.certificates()) {
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
      return new Chain(certificates, null);
    } catch (CertificateException | ClassCastException e) {
      return new Chain(
          List.of(), "certificate parse failed: the server sent a certificate that is not X.509");
    }
  }

  private static List<Finding> same(String target, Status status, String reason) {
    List<Finding> findings = new ArrayList<>();
    for (Check check : CHECKS) {
      findings.add(CertGrading.finding(check, status, target, reason, Map.of(), null));
    }
    return findings;
  }
}
