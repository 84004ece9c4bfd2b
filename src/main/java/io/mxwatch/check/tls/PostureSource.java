package io.mxwatch.check.tls;

import io.mxwatch.model.Status;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.scan.ScanContext;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.smtp.AddressGate;
import io.mxwatch.smtp.ScanWindowCache;
import io.mxwatch.smtp.SmtpEvidence;
import io.mxwatch.tls.CachingPostureProber;
import io.mxwatch.tls.HandshakeProber;
import io.mxwatch.tls.TlsPosture;
import io.mxwatch.tls.TlsPostureProber;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Gathers the TLS posture of each MX address once per scan, for the TLS and certificate checks
 * alike, and decides from the SMTP evidence whether the address can be probed at all.
 */
public final class PostureSource {
  private static final Map<ScanOptions, TlsPostureProber> SHARED_PROBERS =
      new ConcurrentHashMap<>();
  private static final PostureSource SHARED =
      new PostureSource(o -> SHARED_PROBERS.computeIfAbsent(o, PostureSource::defaultProber));

  private final Function<ScanOptions, TlsPostureProber> probers;

  /**
   * @param probers the posture prober to use for a scan's options
   */
  public PostureSource(Function<ScanOptions, TlsPostureProber> probers) {
    this.probers = probers;
  }

  /** The source of the process: the partial-handshake prober behind a scan-window cache. */
  public static PostureSource shared() {
    return SHARED;
  }

  static TlsPostureProber defaultProber(ScanOptions options) {
    var policy = options.probePolicy();
    HandshakeProber prober =
        new HandshakeProber(
            options.smtpTimeout(),
            options.heloName(),
            policy,
            AddressGate.shared(),
            duration -> Thread.sleep(duration.toMillis()),
            CipherGrading::orderTests);
    return new CachingPostureProber(
        prober,
        new ScanWindowCache<>(policy.cacheEntries(), Clock.systemUTC()),
        policy.scanWindow());
  }

  /** The evidence available to the checks of one address. */
  public sealed interface Gathered {
    SmtpEvidence smtp();
  }

  /** The posture was probed; it may still have failed part-way ({@link TlsPosture#failure}). */
  public record Probed(SmtpEvidence smtp, TlsPosture posture) implements Gathered {}

  /**
   * The address was not probed.
   *
   * @param status {@code not_applicable} without STARTTLS, {@code error} when the scanner could not
   *     tell
   * @param reason why, in words
   */
  public record Skipped(SmtpEvidence smtp, Status status, String reason) implements Gathered {}

  public Gathered gather(ScanContext context, MxTarget target, InetAddress address) {
    SmtpEvidence smtp = context.smtp(target, address);
    Optional<Skipped> skipped = skipReason(smtp);
    if (skipped.isPresent()) {
      return skipped.get();
    }
    Optional<String> rejection = context.addressPolicy().rejectionReason(address);
    if (rejection.isPresent()) {
      return new Skipped(smtp, Status.ERROR, "not probed: " + rejection.get());
    }
    int port = context.options().smtpPort();
    TlsPosture posture =
        context.evidence(
            "tls-posture:" + smtp.target() + ":" + port,
            () -> {
              TlsPosture probed =
                  probers
                      .apply(context.options())
                      .probe(target.host(), address, port, context.domainSettings().freshProbes());
              // NOTE: a posture reused from the scan-window cache reports the connections of the
              // probe that made it, so a scan that reuses one overstates its connection count.
              context.countConnections(probed.connections());
              return probed;
            });
    return new Probed(smtp, posture);
  }

  /** Decides whether the SMTP probe's outcome allows a TLS posture probe, and why not. */
  static Optional<Skipped> skipReason(SmtpEvidence smtp) {
    String error = smtp.error() == null ? smtp.outcome().name() : smtp.error();
    return switch (smtp.outcome()) {
      case TLS_ESTABLISHED, HANDSHAKE_FAILED -> Optional.empty();
      case NO_STARTTLS, STARTTLS_REJECTED ->
          Optional.of(new Skipped(smtp, Status.NOT_APPLICABLE, "no STARTTLS: " + error));
      case NOT_ALLOWED -> Optional.of(new Skipped(smtp, Status.ERROR, "not probed: " + error));
      case PERMANENT_REJECTION ->
          Optional.of(
              new Skipped(smtp, Status.ERROR, "the server refused the SMTP session: " + error));
      case HANDSHAKE_TIMEOUT ->
          Optional.of(new Skipped(smtp, Status.ERROR, "could not tell: " + error));
      case CONNECT_FAILED, TIMEOUT, TEMPORARY_REJECTION, PROTOCOL_ERROR ->
          Optional.of(
              new Skipped(smtp, Status.ERROR, "could not tell: the SMTP probe failed: " + error));
    };
  }
}
