package io.mxwatch.check.smtp;

import static io.mxwatch.check.Findings.finding;

import io.mxwatch.check.CheckModule;
import io.mxwatch.check.Findings;
import io.mxwatch.check.tls.PostureSource;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.mx.MxResolution;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.smtp.SmtpEvidence;
import io.mxwatch.smtp.SmtpOutcome;
import io.mxwatch.tls.TlsVersion;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code smtp.reachable} and {@code tls.starttls}, per MX address. */
public final class SmtpChecks implements CheckModule {

  @Override
  public List<Check> checks() {
    return List.of(Check.SMTP_REACHABLE, Check.TLS_STARTTLS, Check.IPV6_MX_REACH);
  }

  @Override
  public List<Finding> run(ScanContext context) {
    MxResolution mx = context.mx();
    List<Finding> findings = new ArrayList<>();
    if (mx.targets().isEmpty()) {
      findings.add(Findings.withoutServers(Check.SMTP_REACHABLE, context.domainText(), mx));
      findings.add(Findings.withoutServers(Check.TLS_STARTTLS, context.domainText(), mx));
      findings.add(Findings.withoutServers(Check.IPV6_MX_REACH, context.domainText(), mx));
      return findings;
    }
    for (MxTarget target : mx.targets()) {
      List<SmtpEvidence> overIpv6 = new ArrayList<>();
      for (InetAddress address : target.addresses()) {
        if (address instanceof java.net.Inet6Address) {
          overIpv6.add(context.smtp(target, address));
        }
      }
      findings.add(ipv6Reach(target.host(), overIpv6));
    }
    for (MxTarget target : mx.targets()) {
      for (InetAddress address : target.addresses()) {
        SmtpEvidence evidence = context.smtp(target, address);
        findings.add(reachable(evidence));
        findings.add(starttls(evidence, acceptedByPosture(context, target, address, evidence)));
      }
    }
    return findings;
  }

  /**
   * {@code ipv6.mx_reach}: every IPv6 address of an MX host accepts TCP on the SMTP port. Any SMTP
   * reply, a rejection included, proves the address reachable.
   */
  public static Finding ipv6Reach(String host, List<SmtpEvidence> overIpv6) {
    if (overIpv6.isEmpty()) {
      return finding(
          Check.IPV6_MX_REACH,
          Status.NOT_APPLICABLE,
          host,
          "no IPv6 address to reach (see ipv6.mx_aaaa)");
    }
    List<String> unreachable = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (SmtpEvidence evidence : overIpv6) {
      switch (evidence.outcome()) {
        case CONNECT_FAILED, TIMEOUT ->
            unreachable.add(evidence.address() + " (" + evidence.error() + ")");
        case NOT_ALLOWED -> unknown.add(evidence.address() + " (" + evidence.error() + ")");
        default -> {}
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("addresses", overIpv6.stream().map(SmtpEvidence::address).toList());
    if (!unreachable.isEmpty()) {
      details.put("unreachable", unreachable);
      return finding(
          Check.IPV6_MX_REACH,
          Status.FAIL,
          host,
          "not reachable over IPv6 on port "
              + overIpv6.get(0).port()
              + ": "
              + String.join(", ", unreachable),
          details,
          "Make the SMTP server listen on its IPv6 address and open TCP port 25 for IPv6 in the"
              + " firewall, or remove the AAAA record.");
    }
    if (!unknown.isEmpty()) {
      details.put("notProbed", unknown);
      return finding(
          Check.IPV6_MX_REACH,
          Status.ERROR,
          host,
          "not probed: " + String.join(", ", unknown),
          details,
          null);
    }
    return finding(
        Check.IPV6_MX_REACH, Status.PASS, host, "every IPv6 address answers SMTP", details, null);
  }

  /** {@code smtp.reachable}: a TCP connection and a 220 greeting. */
  public static Finding reachable(SmtpEvidence evidence) {
    Map<String, Object> details = details(evidence);
    if (evidence.outcome() == SmtpOutcome.HANDSHAKE_TIMEOUT) {
      // The 220 greeting arrived, so the address is reachable. Whether TLS works is unknown.
      return finding(
          Check.SMTP_REACHABLE,
          Status.PASS,
          evidence.target(),
          "answers with 220 "
              + abbreviate(evidence.greeting())
              + ", but the TLS handshake after STARTTLS timed out (see tls.starttls)",
          details,
          null);
    }
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

  /**
   * The TLS versions the posture probe found accepted when the JDK's own handshake failed: a server
   * with only protocols the JDK no longer offers (TLS 1.0) still does STARTTLS.
   */
  private static Set<TlsVersion> acceptedByPosture(
      ScanContext context, MxTarget target, InetAddress address, SmtpEvidence evidence) {
    if (evidence.outcome() != SmtpOutcome.HANDSHAKE_FAILED) {
      return Set.of();
    }
    if (PostureSource.shared().gather(context, target, address)
        instanceof PostureSource.Probed probed) {
      return probed.posture().acceptedVersions();
    }
    return Set.of();
  }

  /** {@code tls.starttls} from the SMTP evidence alone. */
  public static Finding starttls(SmtpEvidence evidence) {
    return starttls(evidence, Set.of());
  }

  /**
   * {@code tls.starttls}: STARTTLS offered after EHLO and a handshake completes.
   *
   * @param postureVersions versions a partial handshake found accepted, when the JDK handshake
   *     failed; a non-empty set means TLS works with those versions
   */
  public static Finding starttls(SmtpEvidence evidence, Set<TlsVersion> postureVersions) {
    Map<String, Object> details = details(evidence);
    String target = evidence.target();
    if (evidence.outcome() == SmtpOutcome.HANDSHAKE_FAILED && !postureVersions.isEmpty()) {
      details.put("acceptedVersions", postureVersions.stream().map(TlsVersion::label).toList());
      return finding(
          Check.TLS_STARTTLS,
          Status.PASS,
          target,
          "STARTTLS works, but only with protocol versions this scanner's TLS library no longer"
              + " offers ("
              + postureVersions.stream().map(TlsVersion::label).toList()
              + "); see tls.versions",
          details,
          null);
    }
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
      case HANDSHAKE_TIMEOUT ->
          finding(Check.TLS_STARTTLS, Status.ERROR, target, evidence.error(), details, null);
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
