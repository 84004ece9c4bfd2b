package io.mxwatch.check.tls;

import io.mxwatch.check.CheckModule;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.smtp.SmtpOutcome;
import io.mxwatch.tls.TlsPosture;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS posture checks of every MX address: versions, cipher suites and their order, key exchange
 * groups, key-exchange signature hash, compression, renegotiation and extended master secret.
 */
public final class TlsChecks implements CheckModule {
  private static final List<Check> CHECKS =
      List.of(
          Check.TLS_VERSIONS,
          Check.TLS_CIPHERS,
          Check.TLS_CIPHER_ORDER,
          Check.TLS_KEY_EXCHANGE,
          Check.TLS_SIGALGS,
          Check.TLS_COMPRESSION,
          Check.TLS_SECURE_RENEGOTIATION,
          Check.TLS_CLIENT_RENEGOTIATION,
          Check.TLS_EXTENDED_MASTER_SECRET);

  private final PostureSource source;

  public TlsChecks() {
    this(PostureSource.shared());
  }

  public TlsChecks(PostureSource source) {
    this.source = source;
  }

  @Override
  public List<Check> checks() {
    return CHECKS;
  }

  @Override
  public List<Finding> run(ScanContext context) {
    List<Finding> findings = new ArrayList<>();
    for (MxTarget target : context.mx().targets()) {
      for (InetAddress address : target.addresses()) {
        findings.addAll(grade(source.gather(context, target, address)));
      }
    }
    return findings;
  }

  /** The findings of one address. */
  static List<Finding> grade(PostureSource.Gathered gathered) {
    String target = gathered.smtp().target();
    if (gathered instanceof PostureSource.Skipped skipped) {
      return same(target, skipped.status(), skipped.reason(), Map.of());
    }
    TlsPosture posture = ((PostureSource.Probed) gathered).posture();
    Map<String, Object> connections = Map.of("connections", posture.connections());
    if (!posture.complete()) {
      return same(target, Status.ERROR, "could not tell: " + posture.failure(), connections);
    }
    boolean handshake = gathered.smtp().outcome() == SmtpOutcome.TLS_ESTABLISHED;
    Finding versions = TlsGrading.versions(target, posture, handshake);
    if (posture.acceptedVersions().isEmpty()) {
      List<Finding> findings = new ArrayList<>();
      findings.add(withConnections(versions, posture));
      for (Check check : CHECKS.subList(1, CHECKS.size())) {
        findings.add(
            TlsGrading.finding(
                check,
                versions.status() == Status.ERROR ? Status.ERROR : Status.NOT_APPLICABLE,
                target,
                "no TLS version accepted, so nothing to grade",
                Map.of(),
                null));
      }
      return findings;
    }
    List<Finding> findings = new ArrayList<>();
    findings.add(withConnections(versions, posture));
    findings.add(TlsGrading.ciphers(target, posture));
    findings.add(TlsGrading.cipherOrder(target, posture));
    findings.add(TlsGrading.keyExchange(target, posture));
    findings.add(TlsGrading.sigalgs(target, posture));
    findings.add(TlsGrading.compression(target, posture));
    findings.add(TlsGrading.secureRenegotiation(target, posture));
    findings.add(TlsGrading.clientRenegotiation(target, posture));
    findings.add(TlsGrading.extendedMasterSecret(target, posture));
    return findings;
  }

  /** The version finding carries the probe's connection count and anomalies. */
  private static Finding withConnections(Finding finding, TlsPosture posture) {
    Map<String, Object> details = new LinkedHashMap<>(finding.details());
    details.put("connections", posture.connections());
    if (!posture.notes().isEmpty()) {
      details.put("notes", posture.notes());
    }
    return finding.withDetails(details);
  }

  private static List<Finding> same(
      String target, Status status, String reason, Map<String, Object> details) {
    List<Finding> findings = new ArrayList<>();
    for (Check check : CHECKS) {
      findings.add(TlsGrading.finding(check, status, target, reason, details, null));
    }
    return findings;
  }
}
