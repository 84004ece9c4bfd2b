package io.mxwatch.check.tls;

import io.mxwatch.check.Findings;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.tls.CipherSuites;
import io.mxwatch.tls.SignatureScheme;
import io.mxwatch.tls.TlsPosture;
import io.mxwatch.tls.TlsVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The TLS rules: pure functions from the posture of one MX address to findings. */
public final class TlsGrading {
  private TlsGrading() {}

  /** NCSC §3.3.1: TLS 1.3 good, TLS 1.2 sufficient, everything older insufficient. */
  public static NcscLevel versionLevel(TlsVersion version) {
    return switch (version) {
      case TLS_1_3 -> NcscLevel.GOOD;
      case TLS_1_2 -> NcscLevel.SUFFICIENT;
      default -> NcscLevel.INSUFFICIENT;
    };
  }

  /**
   * {@code tls.versions}.
   *
   * @param handshakeCompleted true when a full handshake with the JDK succeeded, so a posture that
   *     found no accepted version contradicts it and is an error of the probe
   */
  public static Finding versions(String target, TlsPosture posture, boolean handshakeCompleted) {
    Set<TlsVersion> accepted = posture.acceptedVersions();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("accepted", accepted.stream().map(TlsVersion::label).toList());
    Map<String, String> tried = new LinkedHashMap<>();
    posture.versions().forEach((version, result) -> tried.put(version.label(), result.detail()));
    details.put("probes", tried);
    if (accepted.isEmpty()) {
      return handshakeCompleted
          ? finding(
              Check.TLS_VERSIONS,
              Status.ERROR,
              target,
              "the version probes found no accepted version although a TLS handshake completed",
              details,
              null)
          : finding(
              Check.TLS_VERSIONS,
              Status.FAIL,
              target,
              "no TLS version is accepted after STARTTLS",
              details,
              "Fix the TLS configuration of the SMTP server: STARTTLS is offered but every"
                  + " handshake fails. Enable TLS 1.3 and TLS 1.2 with a valid certificate.");
    }
    List<String> insufficient =
        accepted.stream()
            .filter(v -> versionLevel(v) == NcscLevel.INSUFFICIENT)
            .map(TlsVersion::label)
            .toList();
    if (!insufficient.isEmpty()) {
      return finding(
          Check.TLS_VERSIONS,
          Status.FAIL,
          target,
          "insufficient versions accepted: " + String.join(", ", insufficient),
          details,
          "Disable "
              + String.join(", ", insufficient)
              + " and keep only TLS 1.3 and TLS 1.2. In"
              + " Postfix: smtpd_tls_protocols = >=TLSv1.2 and smtpd_tls_mandatory_protocols ="
              + " >=TLSv1.2 (Postfix 3.6 and later; older releases use !SSLv2, !SSLv3, !TLSv1,"
              + " !TLSv1.1).");
    }
    return finding(
        Check.TLS_VERSIONS,
        Status.PASS,
        target,
        "only " + String.join(" and ", accepted.stream().map(TlsVersion::label).toList()),
        details,
        null);
  }

  /** {@code tls.ciphers}: every accepted suite, at the highest version below TLS 1.3 and in 1.3. */
  public static Finding ciphers(String target, TlsPosture posture) {
    Map<String, Object> details = new LinkedHashMap<>();
    List<String> insufficient = new ArrayList<>();
    List<String> phaseOut = new ArrayList<>();
    Map<String, String> levels = new LinkedHashMap<>();
    for (TlsPosture.AcceptedSuite suite : posture.suites()) {
      NcscLevel level = CipherGrading.level(suite.code());
      String name = CipherSuites.name(suite.code());
      levels.put(name, level.label());
      addByLevel(level, name, insufficient, phaseOut);
    }
    for (int code : posture.tls13Suites()) {
      NcscLevel level = CipherGrading.tls13Level(code);
      String name = CipherSuites.name(code);
      levels.put(name, level.label());
      addByLevel(level, name, insufficient, phaseOut);
    }
    Map<String, List<String>> older = new LinkedHashMap<>();
    posture
        .olderSuites()
        .forEach(
            (version, codes) -> {
              List<String> names = new ArrayList<>();
              for (int code : codes) {
                NcscLevel level = CipherGrading.level(code);
                String name = CipherSuites.name(code);
                names.add(name);
                levels.put(name + " (" + version.label() + " only)", level.label());
                addByLevel(level, name, insufficient, phaseOut);
              }
              older.put(version.label(), names);
            });
    if (posture.cipherVersion() != null) {
      details.put("version", posture.cipherVersion().label());
    }
    if (!older.isEmpty()) {
      details.put("older_versions_only", older);
    }
    details.put("suites", levels);
    details.put("insufficient", insufficient);
    details.put("phase_out", phaseOut);
    if (levels.isEmpty()) {
      return finding(
          Check.TLS_CIPHERS,
          Status.ERROR,
          target,
          "no accepted cipher suite was found",
          details,
          null);
    }
    if (!insufficient.isEmpty()) {
      return finding(
          Check.TLS_CIPHERS,
          Status.FAIL,
          target,
          Findings.count(insufficient.size(), "insufficient suite")
              + " accepted, such as "
              + insufficient.get(0),
          details,
          "Disable "
              + String.join(", ", insufficient)
              + ". Keep ECDHE suites with AES-GCM,"
              + " ChaCha20-Poly1305 or (ECDSA only) AES-CCM, and the TLS 1.3 suites except"
              + " TLS_AES_128_CCM_8_SHA256. In Postfix: smtpd_tls_ciphers = high and"
              + " smtpd_tls_exclude_ciphers = aNULL, eNULL, EXPORT, DES, 3DES, RC4, MD5, PSK,"
              + " SRP, SHA1, AESCCM8, kRSA; TLS 1.3 suites are set with tls_config_file"
              + " (Ciphersuites = ...).");
    }
    if (!phaseOut.isEmpty()) {
      return finding(
          Check.TLS_CIPHERS,
          Status.WARN,
          target,
          Findings.count(phaseOut.size(), "phase-out suite")
              + " accepted, such as "
              + phaseOut.get(0),
          details,
          "Plan to disable "
              + String.join(", ", phaseOut)
              + ": the NCSC guidelines rate them"
              + " phase-out. Until then, make the server prefer its sufficient suites"
              + " (Postfix: tls_preempt_cipherlist = yes).");
    }
    return finding(
        Check.TLS_CIPHERS,
        Status.PASS,
        target,
        "only good and sufficient suites (" + levels.size() + ")",
        details,
        null);
  }

  private static void addByLevel(
      NcscLevel level, String name, List<String> insufficient, List<String> phaseOut) {
    if (level == NcscLevel.INSUFFICIENT) {
      insufficient.add(name);
    } else if (level == NcscLevel.PHASE_OUT) {
      phaseOut.add(name);
    }
  }

  /** {@code tls.cipher_order}: server preference is required only with phase-out suites on. */
  public static Finding cipherOrder(String target, TlsPosture posture) {
    return CipherOrderGrading.grade(target, posture);
  }

  /** {@code tls.key_exchange}: every curve, TLS 1.3 group and DH group the server accepts. */
  public static Finding keyExchange(String target, TlsPosture posture) {
    TlsPosture.KeyExchange kx = posture.keyExchange();
    Map<String, String> levels = new LinkedHashMap<>();
    NcscLevel worst = NcscLevel.GOOD;
    for (int group : kx.ecdheCurves()) {
      NcscLevel level = GroupGrading.level(group);
      levels.put("ECDHE " + GroupGrading.name(group), level.label());
      worst = NcscLevel.worst(worst, level);
    }
    for (int group : kx.tls13Groups()) {
      NcscLevel level = GroupGrading.level(group);
      levels.put("TLS 1.3 " + GroupGrading.name(group), level.label());
      worst = NcscLevel.worst(worst, level);
    }
    for (TlsPosture.DhParameters dh : kx.dhParameters()) {
      NcscLevel level = GroupGrading.dhLevel(dh.prime(), dh.generator());
      levels.put("DHE " + GroupGrading.dhName(dh.prime(), dh.generator()), level.label());
      worst = NcscLevel.worst(worst, level);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("groups", levels);
    if (levels.isEmpty()) {
      return finding(
          Check.TLS_KEY_EXCHANGE,
          Status.PASS,
          target,
          "no ephemeral key exchange seen; suites without forward secrecy are graded by"
              + " tls.ciphers",
          details,
          null);
    }
    List<String> bad = withLevel(levels, worst);
    return switch (worst) {
      case INSUFFICIENT ->
          finding(
              Check.TLS_KEY_EXCHANGE,
              Status.FAIL,
              target,
              "insufficient key exchange accepted: " + String.join(", ", bad),
              details,
              "Remove "
                  + String.join(", ", bad)
                  + ". Offer X25519, X448, P-256, P-384 or P-521"
                  + " (OpenSSL: Groups = X25519:P-256:P-384:X448:P-521 in the file named by"
                  + " Postfix tls_config_file, or tls_eecdh_auto_curves and"
                  + " tls_ffdhe_auto_groups in Postfix 3.8 and later). For DHE use an RFC 7919"
                  + " group of 3072 bits or more, never a home-made prime, or disable DHE.");
      case PHASE_OUT ->
          finding(
              Check.TLS_KEY_EXCHANGE,
              Status.WARN,
              target,
              "phase-out key exchange accepted: " + String.join(", ", bad),
              details,
              "Plan to remove "
                  + String.join(", ", bad)
                  + "; elliptic-curve groups such as"
                  + " X25519 and P-256 are sufficient.");
      default ->
          finding(
              Check.TLS_KEY_EXCHANGE,
              Status.PASS,
              target,
              "only sufficient groups (" + levels.size() + ")",
              details,
              null);
    };
  }

  private static List<String> withLevel(Map<String, String> levels, NcscLevel level) {
    return levels.entrySet().stream()
        .filter(e -> e.getValue().equals(level.label()))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** {@code tls.sigalgs}: the hash of the TLS 1.2 ServerKeyExchange signature. */
  public static Finding sigalgs(String target, TlsPosture posture) {
    TlsPosture.Sigalgs sigalgs = posture.sigalgs();
    Map<String, Object> details = new LinkedHashMap<>();
    if (sigalgs.version() != null) {
      details.put("version", sigalgs.version().label());
    }
    details.put("sha1_only_hello", scheme(sigalgs.sha1Scheme()));
    details.put("sha224_only_hello", scheme(sigalgs.sha224Scheme()));
    if (sigalgs.note() != null) {
      details.put("note", sigalgs.note());
    }
    String advice =
        "Remove the SHA-1 and SHA-224 signature algorithms from the server's TLS 1.2 list. For"
            + " OpenSSL (Postfix tls_config_file): SignatureAlgorithms ="
            + " ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:"
            + "rsa_pss_rsae_sha512:RSA+SHA256:RSA+SHA384:RSA+SHA512.";
    if (sigalgs.legacySignedKeyExchange()) {
      return finding(
          Check.TLS_SIGALGS,
          Status.FAIL,
          target,
          sigalgs.version().label()
              + " is the highest version, and it signs the key exchange with SHA-1",
          details,
          "Enable TLS 1.2 and TLS 1.3: versions before TLS 1.2 cannot sign with SHA-2.");
    }
    if (sigalgs.sha1Scheme() != null
        && "SHA-1".equals(SignatureScheme.hash(sigalgs.sha1Scheme()))) {
      return finding(
          Check.TLS_SIGALGS,
          Status.FAIL,
          target,
          "the server signs its key exchange with SHA-1 ("
              + SignatureScheme.name(sigalgs.sha1Scheme())
              + ") when a client offers only SHA-1",
          details,
          advice);
    }
    if (sigalgs.sha224Scheme() != null
        && "SHA-224".equals(SignatureScheme.hash(sigalgs.sha224Scheme()))) {
      return finding(
          Check.TLS_SIGALGS,
          Status.WARN,
          target,
          "the server signs its key exchange with SHA-224 ("
              + SignatureScheme.name(sigalgs.sha224Scheme())
              + ") when a client offers only SHA-224",
          details,
          advice);
    }
    String summary =
        sigalgs.note() != null
            ? sigalgs.note()
            : "SHA-1 and SHA-224 are refused for the key exchange signature";
    return finding(Check.TLS_SIGALGS, Status.PASS, target, summary, details, null);
  }

  private static String scheme(Integer scheme) {
    return scheme == null ? "refused" : SignatureScheme.name(scheme);
  }

  /** {@code tls.compression} (CRIME): DEFLATE must never be chosen. */
  public static Finding compression(String target, TlsPosture posture) {
    if (posture.deflate() == null) {
      return finding(
          Check.TLS_COMPRESSION,
          Status.PASS,
          target,
          "only TLS 1.3, which has no compression",
          Map.of(),
          null);
    }
    if (posture.deflate()) {
      return finding(
          Check.TLS_COMPRESSION,
          Status.FAIL,
          target,
          "the server chose DEFLATE compression",
          Map.of("method", "DEFLATE"),
          "Disable TLS compression, which enables the CRIME attack: OpenSSL option"
              + " NO_COMPRESSION (Postfix: tls_ssl_options = NO_COMPRESSION), or upgrade the TLS"
              + " library.");
    }
    return finding(
        Check.TLS_COMPRESSION,
        Status.PASS,
        target,
        "no compression",
        Map.of("method", "null"),
        null);
  }

  /** {@code tls.secure_renegotiation} (RFC 5746) at the highest version below TLS 1.3. */
  public static Finding secureRenegotiation(String target, TlsPosture posture) {
    Boolean secure = posture.secureRenegotiation();
    if (secure == null) {
      return finding(
          Check.TLS_SECURE_RENEGOTIATION,
          Status.PASS,
          target,
          "only TLS 1.3, which has no renegotiation",
          Map.of(),
          null);
    }
    Map<String, Object> details = Map.of("version", posture.cipherVersion().label());
    if (secure) {
      return finding(
          Check.TLS_SECURE_RENEGOTIATION,
          Status.PASS,
          target,
          "secure renegotiation (RFC 5746) supported",
          details,
          null);
    }
    return finding(
        Check.TLS_SECURE_RENEGOTIATION,
        Status.FAIL,
        target,
        "the server does not support secure renegotiation (RFC 5746)",
        details,
        "Upgrade the TLS library: every maintained one supports RFC 5746 renegotiation_info,"
            + " which stops renegotiation attacks that inject data into a session.");
  }

  /** {@code tls.extended_master_secret} (RFC 7627) in TLS 1.2. */
  public static Finding extendedMasterSecret(String target, TlsPosture posture) {
    Boolean ems = posture.extendedMasterSecret();
    if (ems == null) {
      return finding(
          Check.TLS_EXTENDED_MASTER_SECRET,
          Status.NOT_APPLICABLE,
          target,
          "TLS 1.2 is not accepted; TLS 1.3 always binds the session to the handshake",
          Map.of(),
          null);
    }
    if (ems) {
      return finding(
          Check.TLS_EXTENDED_MASTER_SECRET,
          Status.PASS,
          target,
          "extended master secret (RFC 7627) used in TLS 1.2",
          Map.of(),
          null);
    }
    return finding(
        Check.TLS_EXTENDED_MASTER_SECRET,
        Status.FAIL,
        target,
        "TLS 1.2 handshakes do not use the extended master secret (RFC 7627)",
        Map.of(),
        "Upgrade the TLS library (OpenSSL 1.1.0 and later use RFC 7627 by default); without it"
            + " TLS 1.2 sessions are open to triple-handshake attacks.");
  }

  /** {@code tls.client_renegotiation}: reported, never graded (NCSC: unlimited is phase-out). */
  public static Finding clientRenegotiation(String target, TlsPosture posture) {
    TlsPosture.ClientRenegotiation renegotiation = posture.clientRenegotiation();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("attempted", renegotiation.attempted());
    details.put("allowed", renegotiation.allowed());
    if (renegotiation.note() != null) {
      details.put("note", renegotiation.note());
    }
    if (posture.cipherVersion() == null) {
      return finding(
          Check.TLS_CLIENT_RENEGOTIATION,
          Status.NOT_APPLICABLE,
          target,
          "only TLS 1.3, which has no renegotiation",
          details,
          null);
    }
    if (!renegotiation.tested()) {
      return finding(
          Check.TLS_CLIENT_RENEGOTIATION,
          Status.INFO,
          target,
          renegotiation.note() == null ? "not tested" : renegotiation.note(),
          details,
          null);
    }
    int allowed = renegotiation.allowed();
    if (allowed == 0) {
      return finding(
          Check.TLS_CLIENT_RENEGOTIATION,
          Status.INFO,
          target,
          "client-initiated renegotiation is not allowed",
          details,
          null);
    }
    boolean unlimited = allowed >= renegotiation.attempted();
    return finding(
        Check.TLS_CLIENT_RENEGOTIATION,
        Status.INFO,
        target,
        unlimited
            ? "all "
                + allowed
                + " client-initiated renegotiations were allowed (unlimited:"
                + " phase-out)"
            : allowed + " client-initiated renegotiations were allowed before the server refused",
        details,
        "Disable client-initiated renegotiation, which lets one client make the server do"
            + " expensive handshakes (Postfix: tls_ssl_options = NO_RENEGOTIATION).");
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
