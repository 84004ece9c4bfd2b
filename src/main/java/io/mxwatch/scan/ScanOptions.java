package io.mxwatch.scan;

import io.mxwatch.smtp.ProbePolicy;
import java.time.Duration;

/**
 * Settings of the scan pipeline that are not DNS settings.
 *
 * @param allowPrivate connect to loopback, private and other special-purpose addresses too
 * @param smtpPort TCP port of the MX servers (25 except in labs and tests)
 * @param smtpTimeout time allowed for each SMTP connect, read and TLS handshake
 * @param heloName the name sent in EHLO and HELO
 * @param certExpiryWarnDays {@code cert.expiry} warns below this many days
 * @param certExpiryFailDays {@code cert.expiry} fails below this many days
 * @param signatureExpiryWarnDays {@code dnssec.signature_expiry} warns below this many days
 * @param maxConcurrentProbes SMTP probes of one scan that run at the same time
 * @param probePolicy connection limits, pauses, retries and result reuse towards each MX address
 */
public record ScanOptions(
    boolean allowPrivate,
    int smtpPort,
    Duration smtpTimeout,
    String heloName,
    int certExpiryWarnDays,
    int certExpiryFailDays,
    int signatureExpiryWarnDays,
    int maxConcurrentProbes,
    ProbePolicy probePolicy) {

  public static final int DEFAULT_SMTP_PORT = 25;

  /** Options with the default probe policy. */
  public ScanOptions(
      boolean allowPrivate,
      int smtpPort,
      Duration smtpTimeout,
      String heloName,
      int certExpiryWarnDays,
      int certExpiryFailDays,
      int signatureExpiryWarnDays,
      int maxConcurrentProbes) {
    this(
        allowPrivate,
        smtpPort,
        smtpTimeout,
        heloName,
        certExpiryWarnDays,
        certExpiryFailDays,
        signatureExpiryWarnDays,
        maxConcurrentProbes,
        ProbePolicy.defaults());
  }

  public ScanOptions {
    if (smtpPort < 1 || smtpPort > 65535) {
      throw new IllegalArgumentException("SMTP port must be 1 to 65535: " + smtpPort);
    }
    if (maxConcurrentProbes < 1) {
      throw new IllegalArgumentException("maxConcurrentProbes must be at least 1");
    }
    if (certExpiryFailDays > certExpiryWarnDays) {
      throw new IllegalArgumentException(
          "certExpiryFailDays ("
              + certExpiryFailDays
              + ") exceeds certExpiryWarnDays ("
              + certExpiryWarnDays
              + ")");
    }
    java.util.Objects.requireNonNull(probePolicy, "probePolicy");
  }

  /** The defaults documented in the README. */
  public static ScanOptions defaults() {
    return new ScanOptions(
        false, DEFAULT_SMTP_PORT, Duration.ofSeconds(30), "localhost", 21, 7, 7, 8);
  }

  public ScanOptions withAllowPrivate(boolean allow) {
    return new ScanOptions(
        allow,
        smtpPort,
        smtpTimeout,
        heloName,
        certExpiryWarnDays,
        certExpiryFailDays,
        signatureExpiryWarnDays,
        maxConcurrentProbes,
        probePolicy);
  }

  public ScanOptions withSmtpPort(int port) {
    return new ScanOptions(
        allowPrivate,
        port,
        smtpTimeout,
        heloName,
        certExpiryWarnDays,
        certExpiryFailDays,
        signatureExpiryWarnDays,
        maxConcurrentProbes,
        probePolicy);
  }

  public ScanOptions withSmtpTimeout(Duration timeout) {
    return new ScanOptions(
        allowPrivate,
        smtpPort,
        timeout,
        heloName,
        certExpiryWarnDays,
        certExpiryFailDays,
        signatureExpiryWarnDays,
        maxConcurrentProbes,
        probePolicy);
  }

  public ScanOptions withCertExpiryDays(int warnDays, int failDays) {
    return new ScanOptions(
        allowPrivate,
        smtpPort,
        smtpTimeout,
        heloName,
        warnDays,
        failDays,
        signatureExpiryWarnDays,
        maxConcurrentProbes,
        probePolicy);
  }

  public ScanOptions withProbePolicy(ProbePolicy policy) {
    return new ScanOptions(
        allowPrivate,
        smtpPort,
        smtpTimeout,
        heloName,
        certExpiryWarnDays,
        certExpiryFailDays,
        signatureExpiryWarnDays,
        maxConcurrentProbes,
        policy);
  }
}
