package io.mxwatch.check.smtp;

import static io.mxwatch.check.Findings.finding;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.Findings;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.smtp.SmtpEvidence;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code smtp.reachable} and {@code tls.starttls}, per MX address. */
public final class SmtpChecks implements CheckModule {

  @Override
  public List<Check> checks() {
    return List.of(Check.SMTP_REACHABLE, Check.TLS_STARTTLS);
  }

  @Override
  public List<Finding> run(ScanContext context) {
    MxResolution mx = context.mx();
    List<Finding> findings = new ArrayList<>();
    if (mx.targets().isEmpty()) {
      findings.add(Findings.withoutServers(Check.SMTP_REACHABLE, context.domainText(), mx));
      findings.add(Findings.withoutServers(Check.TLS_STARTTLS, context.domainText(), mx));
      return findings;
    }
    for (MxTarget target : mx.targets()) {
      for (InetAddress address : target.addresses()) {
        SmtpEvidence evidence = context.smtp(target, address);
        findings.add(reachable(evidence));
        findings.add(starttls(evidence));
      }
    }
    return findings;
  }

  /** {@code smtp.reachable}: a TCP connection and a 220 greeting. */
  public static Finding reachable(SmtpEvidence evidence) {
    Map<String, Object> details = details(evidence);
    if (evidence.outcome().greeted()) {
      return finding(
          Check.SMTP_REACHABLE,
          Status.PASS,
          evidence.target(),
          "answers with 220 " + abbreviate(evidence.greeting()),
          details,
          null);
    }
    String summary =
        switch (evidence.outcome()) {
          case NOT_ALLOWED -> "not probed: " + evidence.error();
          case CONNECT_FAILED ->
              "cannot connect to port " + evidence.port() + ": " + evidence.error();
          case TIMEOUT -> "no answer on port " + evidence.port() + ": " + evidence.error();
          case TEMPORARY_REJECTION -> "temporarily rejected: " + evidence.reply();
          case PERMANENT_REJECTION -> "refuses service: " + evidence.reply();
          default -> "SMTP failed: " + evidence.error();
        };
    return finding(Check.SMTP_REACHABLE, Status.ERROR, evidence.target(), summary, details, null);
  }

  /** {@code tls.starttls}: STARTTLS offered after EHLO and the handshake completes. */
  public static Finding starttls(SmtpEvidence evidence) {
    Map<String, Object> details = details(evidence);
    String target = evidence.target();
    return switch (evidence.outcome()) {
      case TLS_ESTABLISHED ->
          finding(
              Check.TLS_STARTTLS,
              Status.PASS,
              target,
              "STARTTLS works (" + evidence.tlsProtocol() + ", " + evidence.cipherSuite() + ")",
              details,
              null);
      case NO_STARTTLS ->
          finding(
              Check.TLS_STARTTLS,
              Status.FAIL,
              target,
              "STARTTLS is not offered: mail to this server travels unencrypted",
              details,
              "Enable STARTTLS on the SMTP server with a certificate (Postfix:"
                  + " smtpd_tls_security_level = may, smtpd_tls_chain_files = ...).");
      case STARTTLS_REJECTED ->
          finding(
              Check.TLS_STARTTLS,
              Status.FAIL,
              target,
              "STARTTLS is offered but the command is rejected: " + evidence.reply(),
              details,
              "Fix the server's TLS configuration (certificate and key files) so STARTTLS works.");
      case HANDSHAKE_FAILED ->
          finding(
              Check.TLS_STARTTLS,
              Status.FAIL,
              target,
              "STARTTLS is offered but the TLS handshake fails: " + evidence.error(),
              details,
              "Fix the server's TLS configuration; enable TLS 1.2 and 1.3 with a valid"
                  + " certificate and key.");
      default ->
          finding(
              Check.TLS_STARTTLS,
              Status.ERROR,
              target,
              "cannot tell: the SMTP session did not get that far ("
                  + reachable(evidence).summary()
                  + ")",
              details,
              null);
    };
  }

  private static Map<String, Object> details(SmtpEvidence evidence) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("port", evidence.port());
    details.put("outcome", evidence.outcome().name());
    if (evidence.reply() != null) {
      details.put("lastReply", evidence.reply());
    }
    if (!evidence.ehloKeywords().isEmpty()) {
      details.put("extensions", evidence.ehloKeywords());
    }
    if (evidence.tlsProtocol() != null) {
      details.put("protocol", evidence.tlsProtocol());
      details.put("cipherSuite", evidence.cipherSuite());
    }
    details.put("connections", evidence.connections());
    return details;
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > 100 ? text.substring(0, 100) + "..." : text;
  }
}
