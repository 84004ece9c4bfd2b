package io.mxwatch.tls;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TLS facts of one MX address, gathered with partial handshakes. Probes only observe; the
 * checks in {@code io.mxwatch.check.tls} grade.
 *
 * @param target {@code host/address}
 * @param failure why the facts could not be gathered (an SMTP failure on one of the connections),
 *     or null when they were
 * @param versions each version tried with whether the server accepted it
 * @param sslv2CipherKinds SSL 2.0 cipher kinds the server listed, when it speaks SSL 2.0
 * @param cipherVersion the highest version below TLS 1.3 that the server accepts, whose suites were
 *     enumerated; null when there is none
 * @param suites suites accepted at {@code cipherVersion}, in the order they were found
 * @param tls13Suites TLS 1.3 suites accepted
 * @param olderSuites per older accepted version below {@code cipherVersion}, the suites accepted
 *     there but not at {@code cipherVersion}; usually empty
 * @param cipherOrder whether the server prefers its sufficient suites over phase-out ones
 * @param keyExchange groups and DH parameters the server accepts
 * @param sigalgs what the server signs its key exchange with when offered only SHA-1 or SHA-224
 * @param deflate true when the server chose DEFLATE compression; null when not testable
 * @param secureRenegotiation true when the server echoed renegotiation_info (RFC 5746); null when
 *     no version below TLS 1.3 is accepted
 * @param extendedMasterSecret true when the server echoed extended_master_secret in TLS 1.2 (RFC
 *     7627); null when TLS 1.2 is not accepted
 * @param clientRenegotiation client-initiated renegotiations the server allowed
 * @param certificates DER certificates from a TLS 1.2 or older handshake, leaf first
 * @param connections TCP connections the probe opened
 * @param notes anomalies worth showing, such as a server that chose a suite never offered
 */
public record TlsPosture(
    String target,
    String failure,
    Map<TlsVersion, VersionResult> versions,
    List<Integer> sslv2CipherKinds,
    TlsVersion cipherVersion,
    List<AcceptedSuite> suites,
    List<Integer> tls13Suites,
    Map<TlsVersion, List<Integer>> olderSuites,
    CipherOrder cipherOrder,
    KeyExchange keyExchange,
    Sigalgs sigalgs,
    Boolean deflate,
    Boolean secureRenegotiation,
    Boolean extendedMasterSecret,
    ClientRenegotiation clientRenegotiation,
    List<byte[]> certificates,
    int connections,
    List<String> notes) {

  public TlsPosture {
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    sslv2CipherKinds = List.copyOf(sslv2CipherKinds);
    suites = List.copyOf(suites);
    tls13Suites = List.copyOf(tls13Suites);
    Map<TlsVersion, List<Integer>> older = new java.util.EnumMap<>(TlsVersion.class);
    olderSuites.forEach((version, codes) -> older.put(version, List.copyOf(codes)));
    olderSuites = Collections.unmodifiableMap(older);
    certificates = List.copyOf(certificates);
    notes = List.copyOf(notes);
  }

  /** Facts that could not be gathered. */
  public static TlsPosture failed(String target, String failure, int connections) {
    return new TlsPosture(
        target,
        failure,
        Map.of(),
        List.of(),
        null,
        List.of(),
        List.of(),
        Map.of(),
        CipherOrder.NOT_TESTED,
        KeyExchange.NONE,
        Sigalgs.NOT_TESTED,
        null,
        null,
        null,
        ClientRenegotiation.NOT_TESTED,
        List.of(),
        connections,
        List.of());
  }

  public boolean complete() {
    return failure == null;
  }

  /** Versions the server accepted, lowest first. */
  /** This posture with another connection count, for a caller that reused it. */
  public TlsPosture withConnections(int count) {
    return new TlsPosture(
        target,
        failure,
        versions,
        sslv2CipherKinds,
        cipherVersion,
        suites,
        tls13Suites,
        olderSuites,
        cipherOrder,
        keyExchange,
        sigalgs,
        deflate,
        secureRenegotiation,
        extendedMasterSecret,
        clientRenegotiation,
        certificates,
        count,
        notes);
  }

  public Set<TlsVersion> acceptedVersions() {
    Set<TlsVersion> accepted = new TreeSet<>();
    versions.forEach(
        (version, result) -> {
          if (result.accepted()) {
            accepted.add(version);
          }
        });
    return accepted;
  }

  /**
   * One version probe.
   *
   * @param accepted true when the server completed its hello with this version
   * @param detail the chosen suite, or why the version was not accepted
   */
  public record VersionResult(boolean accepted, String detail) {}

  /**
   * A suite the server chose, with the key exchange it sent for it.
   *
   * @param code the cipher suite
   * @param group the ECDHE curve, or null
   * @param dhPrimeBits the size of the DH prime, or null
   */
  public record AcceptedSuite(int code, Integer group, Integer dhPrimeBits) {}

  /**
   * The cipher order tests. The preference test offers the accepted suites in the order they were
   * found and then in reverse: a server with an order of its own picks the same suite both times,
   * and one without picks the client's first choice both times. The grading test then offers, for
   * each accepted sufficient suite, every accepted phase-out suite first and the sufficient one
   * last: a server that ranks its sufficient suites first picks the sufficient one.
   *
   * @param tested false when the grading test did not run (no phase-out or no sufficient suites)
   * @param chosen the suite the server picked in the first violation, or null
   * @param expected the sufficient suite it should have picked, or null
   * @param note why the tests could not run, or null
   * @param preference what the preference test found
   * @param serverChoice the suite the server picked for both orders, or null
   */
  public record CipherOrder(
      boolean tested,
      Integer chosen,
      Integer expected,
      String note,
      Preference preference,
      Integer serverChoice) {
    public static final CipherOrder NOT_TESTED =
        new CipherOrder(false, null, null, null, Preference.NOT_TESTED, null);

    public boolean violated() {
      return chosen != null;
    }
  }

  /** Whose order decides the suite, as the preference test found it. */
  public enum Preference {
    /** The server picked the same suite for both orders. */
    SERVER,
    /** The server picked the client's first choice for both orders. */
    CLIENT,
    /** Neither: for example a server that prefers ChaCha20 only when the client lists it first. */
    MIXED,
    /** Fewer than two suites accepted, or no TLS below 1.3. */
    NOT_TESTED
  }

  /**
   * Groups and parameters the server accepts for ephemeral key exchange.
   *
   * @param ecdheCurves TLS 1.2 and older ECDHE curves
   * @param tls13Groups TLS 1.3 groups, elliptic, finite-field and hybrid
   * @param dhParameters distinct DH groups (prime and generator) seen in DHE ServerKeyExchange
   */
  public record KeyExchange(
      Set<Integer> ecdheCurves, Set<Integer> tls13Groups, List<DhParameters> dhParameters) {
    public static final KeyExchange NONE = new KeyExchange(Set.of(), Set.of(), List.of());

    public KeyExchange {
      ecdheCurves = Collections.unmodifiableSet(new TreeSet<>(ecdheCurves));
      tls13Groups = Collections.unmodifiableSet(new TreeSet<>(tls13Groups));
      dhParameters = List.copyOf(dhParameters);
    }

    public boolean empty() {
      return ecdheCurves.isEmpty() && tls13Groups.isEmpty() && dhParameters.isEmpty();
    }
  }

  /** A finite-field DH group as the server sent it. */
  public record DhParameters(BigInteger prime, BigInteger generator) {
    public int bits() {
      return prime.bitLength();
    }
  }

  /**
   * The key-exchange hash test in TLS 1.2: hellos whose signature_algorithms list only SHA-1
   * schemes, then only SHA-224 schemes.
   *
   * @param version the version tested, or null when not tested
   * @param sha1Scheme the scheme the server signed with when offered only SHA-1, or null when it
   *     refused the hello
   * @param sha224Scheme the same for SHA-224
   * @param legacySignedKeyExchange true when the highest version is below TLS 1.2 and the server
   *     signs its key exchange, which those versions always do with SHA-1 (and MD5 for RSA)
   * @param note why the test did not run, or null
   */
  public record Sigalgs(
      TlsVersion version,
      Integer sha1Scheme,
      Integer sha224Scheme,
      boolean legacySignedKeyExchange,
      String note) {
    public static final Sigalgs NOT_TESTED = new Sigalgs(null, null, null, false, null);
  }

  /**
   * Client-initiated renegotiation (RFC 5246 §7.4.1.2).
   *
   * @param attempted renegotiations tried; 0 when not tested
   * @param allowed renegotiations the server completed
   * @param note why it was not tested or how it ended, or null
   */
  public record ClientRenegotiation(int attempted, int allowed, String note) {
    public static final ClientRenegotiation NOT_TESTED = new ClientRenegotiation(0, 0, null);

    public boolean tested() {
      return attempted > 0;
    }
  }
}
