package io.mxwatch.tls;

import io.mxwatch.net.Addresses;
import io.mxwatch.net.Failures;
import io.mxwatch.smtp.AddressGate;
import io.mxwatch.smtp.PoliteSmtpProber;
import io.mxwatch.smtp.ProbePolicy;
import io.mxwatch.smtp.StartTlsDialogue;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Gathers the TLS posture of an MX address with partial handshakes after STARTTLS: one connection
 * per ClientHello, each hello read up to ServerHelloDone or the TLS 1.3 ServerHello. The probes run
 * in a fixed order so later ones can build on what earlier ones found.
 */
public final class HandshakeProber implements TlsPostureProber {
  private static final Logger LOG = Logger.getLogger(HandshakeProber.class);

  /** Suites per hello while enumerating; large hellos trip some old servers. */
  static final int SUITES_PER_HELLO = 128;

  /** Hellos in a row without any reply after which the posture is reported as inconclusive. */
  static final int MAX_CONSECUTIVE_TIMEOUTS = 3;

  private final Duration timeout;
  private final String heloName;
  private final ProbePolicy policy;
  private final AddressGate gate;
  private final PoliteSmtpProber.Sleeper sleeper;
  private final CipherOrderPlanner orderPlanner;

  public HandshakeProber(
      Duration timeout,
      String heloName,
      ProbePolicy policy,
      AddressGate gate,
      PoliteSmtpProber.Sleeper sleeper,
      CipherOrderPlanner orderPlanner) {
    this.timeout = timeout;
    this.heloName = heloName;
    this.policy = policy;
    this.gate = gate;
    this.sleeper = sleeper;
    this.orderPlanner = orderPlanner;
  }

  @Override
  public TlsPosture probe(String host, InetAddress address, int port) {
    StartTlsConnector connector =
        new StartTlsConnector(address, port, timeout, heloName, policy, gate, sleeper);
    Run run = new Run(host, address, connector);
    String target = host + "/" + Addresses.text(address);
    try {
      return run.execute(target);
    } catch (StartTlsConnector.ConnectionFailure e) {
      LOG.debugf("TLS posture of %s incomplete: %s", target, e.getMessage());
      return TlsPosture.failed(target, e.getMessage(), connector.connections());
    }
  }

  /** One posture probe's state; only the thread running it touches it. */
  private final class Run {
    final String serverName;
    final StartTlsConnector connector;
    final List<String> notes = new ArrayList<>();
    final Map<TlsVersion, ServerFlight> flights = new EnumMap<>(TlsVersion.class);
    final Set<Integer> ecdheCurves = new LinkedHashSet<>();
    final Set<Integer> tls13Groups = new LinkedHashSet<>();
    final List<TlsPosture.DhParameters> dhParameters = new ArrayList<>();
    int consecutiveTimeouts;

    Run(String host, InetAddress address, StartTlsConnector connector) {
      this.serverName = isHostName(host) ? host : null;
      this.connector = connector;
    }

    TlsPosture execute(String target) throws StartTlsConnector.ConnectionFailure {
      Map<TlsVersion, TlsPosture.VersionResult> versions = probeVersions();
      List<Integer> sslv2 = probeSslv2(versions);

      TlsVersion cipherVersion = highestBelowTls13(versions);
      List<TlsPosture.AcceptedSuite> suites =
          cipherVersion == null ? List.of() : enumerateSuites(cipherVersion);
      List<Integer> tls13Suites =
          versions.get(TlsVersion.TLS_1_3).accepted() ? enumerateTls13Suites() : List.of();
      List<Integer> accepted = suites.stream().map(TlsPosture.AcceptedSuite::code).toList();
      Map<TlsVersion, List<Integer>> olderSuites =
          enumerateOlderSuites(versions, cipherVersion, accepted);

      TlsPosture.CipherOrder order =
          cipherVersion == null
              ? TlsPosture.CipherOrder.NOT_TESTED
              : cipherOrder(cipherVersion, accepted);
      if (cipherVersion != null) {
        enumerateCurves(cipherVersion, suites);
        enumerateDhGroups(cipherVersion, suites);
      }
      if (versions.get(TlsVersion.TLS_1_3).accepted()) {
        enumerateTls13Groups();
      }
      TlsPosture.Sigalgs sigalgs = sigalgs(cipherVersion, suites);

      ServerFlight base = cipherVersion == null ? null : flights.get(cipherVersion);
      ServerFlight tls12 = flights.get(TlsVersion.TLS_1_2);
      Boolean deflate = base == null ? null : base.serverHello().compressionMethod() == 1;
      Boolean secureRenegotiation = base == null ? null : base.serverHello().secureRenegotiation();
      Boolean ems =
          versions.get(TlsVersion.TLS_1_2).accepted()
              ? tls12.serverHello().extendedMasterSecret()
              : null;
      TlsPosture.ClientRenegotiation renegotiation =
          versions.get(TlsVersion.TLS_1_2).accepted()
              ? ClientRenegotiationProbe.run(connector, serverName)
              : new TlsPosture.ClientRenegotiation(
                  0, 0, "not tested: renegotiation is tested over TLS 1.2, which is not accepted");

      return new TlsPosture(
          target,
          null,
          versions,
          sslv2,
          cipherVersion,
          suites,
          tls13Suites,
          olderSuites,
          order,
          new TlsPosture.KeyExchange(ecdheCurves, tls13Groups, dhParameters),
          sigalgs,
          deflate,
          secureRenegotiation,
          ems,
          renegotiation,
          base == null ? List.of() : base.certificates(),
          connector.connections(),
          notes);
    }

    // Versions: one hello per version, each offering only that version (RFC 8446 §4.2.1 for 1.3).
    private Map<TlsVersion, TlsPosture.VersionResult> probeVersions()
        throws StartTlsConnector.ConnectionFailure {
      Map<TlsVersion, TlsPosture.VersionResult> versions = new EnumMap<>(TlsVersion.class);
      for (TlsVersion version :
          List.of(
              TlsVersion.TLS_1_3,
              TlsVersion.TLS_1_2,
              TlsVersion.TLS_1_1,
              TlsVersion.TLS_1_0,
              TlsVersion.SSL_3_0)) {
        ServerFlight flight = versionProbe(version);
        boolean accepted =
            flight.accepted() && flight.serverHello().selectedVersion() == version.wire();
        String detail;
        if (accepted) {
          flights.put(version, flight);
          detail = "chose " + CipherSuites.name(flight.serverHello().cipherSuite());
          recordKeyExchange(flight);
        } else if (flight.accepted()) {
          detail =
              "answered with "
                  + TlsVersion.describe(flight.serverHello().selectedVersion())
                  + " instead";
        } else {
          detail = flight.rejection();
        }
        versions.put(version, new TlsPosture.VersionResult(accepted, detail));
      }
      return versions;
    }

    /**
     * One version, offered with at most {@link #SUITES_PER_HELLO} suites per hello because some
     * servers fail on longer lists. The next group of suites is tried only when the refusal may be
     * about suites: a protocol_version alert settles the question at once.
     */
    private ServerFlight versionProbe(TlsVersion version)
        throws StartTlsConnector.ConnectionFailure {
      if (version == TlsVersion.TLS_1_3) {
        return offer(hello(version));
      }
      List<Integer> candidates = codes(CipherSuites.legacyCandidates());
      ServerFlight flight = null;
      for (int start = 0; start < candidates.size(); start += SUITES_PER_HELLO) {
        List<Integer> group =
            candidates.subList(start, Math.min(candidates.size(), start + SUITES_PER_HELLO));
        flight = offer(hello(version).withCipherSuites(group));
        boolean versionRefused =
            flight.alert() != null && flight.alert().description() == TlsAlert.PROTOCOL_VERSION;
        if (flight.accepted() || versionRefused) {
          return flight;
        }
      }
      return flight;
    }

    private List<Integer> probeSslv2(Map<TlsVersion, TlsPosture.VersionResult> versions)
        throws StartTlsConnector.ConnectionFailure {
      Sslv2Hello.Reply reply;
      try {
        reply =
            connector.exchange(
                connection -> {
                  write(connection, Sslv2Hello.encode());
                  return Sslv2Hello.read(connection.smtp().input());
                });
      } catch (TlsParseException e) {
        reply = new Sslv2Hello.Reply(false, List.of(), "unparseable reply: " + e.getMessage());
      } catch (IOException e) {
        reply = new Sslv2Hello.Reply(false, List.of(), describe(e));
      }
      String detail =
          reply.accepted()
              ? "SERVER-HELLO with " + reply.cipherKinds().size() + " cipher kinds"
              : reply.note();
      versions.put(TlsVersion.SSL_2_0, new TlsPosture.VersionResult(reply.accepted(), detail));
      return reply.accepted() ? reply.cipherKinds() : List.of();
    }

    // Suites: offer the candidates, remove the one chosen, repeat until the server refuses.
    private List<TlsPosture.AcceptedSuite> enumerateSuites(TlsVersion version)
        throws StartTlsConnector.ConnectionFailure {
      List<Integer> candidates = codes(CipherSuites.legacyCandidates());
      List<TlsPosture.AcceptedSuite> accepted = new ArrayList<>();
      for (int start = 0; start < candidates.size(); start += SUITES_PER_HELLO) {
        List<Integer> remaining =
            new ArrayList<>(
                candidates.subList(start, Math.min(candidates.size(), start + SUITES_PER_HELLO)));
        while (!remaining.isEmpty()) {
          ServerFlight flight = offer(hello(version).withCipherSuites(remaining));
          Integer chosen = chosenSuite(flight, version, remaining);
          if (chosen == null) {
            break;
          }
          remaining.remove(chosen);
          accepted.add(acceptedSuite(flight));
          recordKeyExchange(flight);
        }
      }
      return accepted;
    }

    /**
     * Suites that older accepted versions add: each one is offered every candidate not found at the
     * highest version, so a server with one suite list costs one refused hello per group.
     */
    private Map<TlsVersion, List<Integer>> enumerateOlderSuites(
        Map<TlsVersion, TlsPosture.VersionResult> versions, TlsVersion highest, List<Integer> found)
        throws StartTlsConnector.ConnectionFailure {
      Map<TlsVersion, List<Integer>> older = new EnumMap<>(TlsVersion.class);
      if (highest == null) {
        return older;
      }
      for (TlsVersion version :
          List.of(TlsVersion.TLS_1_1, TlsVersion.TLS_1_0, TlsVersion.SSL_3_0)) {
        if (version.compareTo(highest) >= 0 || !versions.get(version).accepted()) {
          continue;
        }
        List<Integer> candidates = new ArrayList<>(codes(CipherSuites.legacyCandidates()));
        candidates.removeAll(found);
        List<Integer> extra = new ArrayList<>();
        for (int start = 0; start < candidates.size(); start += SUITES_PER_HELLO) {
          List<Integer> remaining =
              new ArrayList<>(
                  candidates.subList(start, Math.min(candidates.size(), start + SUITES_PER_HELLO)));
          while (!remaining.isEmpty()) {
            ServerFlight flight = offer(hello(version).withCipherSuites(remaining));
            Integer chosen = chosenSuite(flight, version, remaining);
            if (chosen == null) {
              break;
            }
            remaining.remove(chosen);
            extra.add(chosen);
          }
        }
        if (!extra.isEmpty()) {
          older.put(version, extra);
        }
      }
      return older;
    }

    private List<Integer> enumerateTls13Suites() throws StartTlsConnector.ConnectionFailure {
      List<Integer> remaining = new ArrayList<>(codes(CipherSuites.tls13()));
      List<Integer> accepted = new ArrayList<>();
      while (!remaining.isEmpty()) {
        ServerFlight flight = offer(hello(TlsVersion.TLS_1_3).withCipherSuites(remaining));
        Integer chosen = chosenSuite(flight, TlsVersion.TLS_1_3, remaining);
        if (chosen == null) {
          break;
        }
        remaining.remove(chosen);
        accepted.add(chosen);
      }
      return accepted;
    }

    private Integer chosenSuite(ServerFlight flight, TlsVersion version, List<Integer> offered) {
      if (!flight.accepted() || flight.serverHello().selectedVersion() != version.wire()) {
        return null;
      }
      int chosen = flight.serverHello().cipherSuite();
      if (!offered.contains(chosen)) {
        notes.add("server chose " + CipherSuites.name(chosen) + ", which was not offered");
        return null;
      }
      return chosen;
    }

    private TlsPosture.CipherOrder cipherOrder(TlsVersion version, List<Integer> accepted)
        throws StartTlsConnector.ConnectionFailure {
      TlsPosture.Preference preference = TlsPosture.Preference.NOT_TESTED;
      Integer serverChoice = null;
      if (accepted.size() >= 2) {
        List<Integer> reversed = new ArrayList<>(accepted);
        Collections.reverse(reversed);
        ServerFlight forward = offer(hello(version).withCipherSuites(accepted));
        ServerFlight backward = offer(hello(version).withCipherSuites(reversed));
        for (ServerFlight flight : List.of(forward, backward)) {
          if (!flight.accepted()) {
            return refused(flight);
          }
        }
        int first = forward.serverHello().cipherSuite();
        int second = backward.serverHello().cipherSuite();
        if (first == second) {
          preference = TlsPosture.Preference.SERVER;
          serverChoice = first;
        } else if (first == accepted.get(0) && second == reversed.get(0)) {
          preference = TlsPosture.Preference.CLIENT;
        } else {
          preference = TlsPosture.Preference.MIXED;
        }
      }
      List<CipherOrderPlanner.OrderTest> tests = orderPlanner.plan(accepted);
      for (CipherOrderPlanner.OrderTest test : tests) {
        ServerFlight flight = offer(hello(version).withCipherSuites(test.offer()));
        if (!flight.accepted()) {
          return refused(flight);
        }
        int chosen = flight.serverHello().cipherSuite();
        if (chosen != test.expected()) {
          return new TlsPosture.CipherOrder(
              true, chosen, test.expected(), null, preference, serverChoice);
        }
      }
      return new TlsPosture.CipherOrder(
          !tests.isEmpty(), null, null, null, preference, serverChoice);
    }

    private static TlsPosture.CipherOrder refused(ServerFlight flight) {
      return new TlsPosture.CipherOrder(
          false,
          null,
          null,
          "order probe refused: " + flight.rejection(),
          TlsPosture.Preference.NOT_TESTED,
          null);
    }

    // ECDHE curves (RFC 8422 §5.1.1): offer the accepted ECDHE suites with shrinking curve lists.
    private void enumerateCurves(TlsVersion version, List<TlsPosture.AcceptedSuite> suites)
        throws StartTlsConnector.ConnectionFailure {
      List<Integer> ecdhe = suitesOfKind(suites, true);
      if (ecdhe.isEmpty()) {
        return;
      }
      List<Integer> remaining = new ArrayList<>(codes(NamedGroup.curves()));
      Integer anchor = null;
      while (!remaining.isEmpty()) {
        List<Integer> groups = new ArrayList<>(remaining);
        if (anchor != null) {
          groups.add(anchor);
        }
        ServerFlight flight =
            offer(hello(version).withCipherSuites(ecdhe).withSupportedGroups(groups, List.of()));
        Integer chosen =
            flight.accepted() && flight.keyExchange() instanceof ServerKeyExchange.Ecdhe ecdh
                ? ecdh.namedGroup()
                : null;
        if (chosen != null && remaining.remove(chosen)) {
          ecdheCurves.add(chosen);
          continue;
        }
        // RFC 8422 §5.1: an ECDSA certificate's curve must be among the client's curves, so a
        // server may refuse once that curve was removed. Retry with the first curve found
        // appended last; a server that still prefers it ends the enumeration.
        if (chosen == null && anchor == null && !ecdheCurves.isEmpty()) {
          anchor = ecdheCurves.iterator().next();
          continue;
        }
        // NOTE: a server that prefers the anchor curve over every remaining one hides the rest;
        // only offering each remaining curve with the anchor would find them.
        if (chosen != null && chosen.equals(anchor)) {
          notes.add(
              "ECDHE curves less preferred than "
                  + NamedGroup.name(anchor)
                  + " were not enumerated: the server needs that curve for its certificate");
        }
        break;
      }
    }

    // DHE: the server's own group first, then RFC 7919 groups (§4) one at a time.
    private void enumerateDhGroups(TlsVersion version, List<TlsPosture.AcceptedSuite> suites)
        throws StartTlsConnector.ConnectionFailure {
      List<Integer> dhe = suitesOfKind(suites, false);
      if (dhe.isEmpty()) {
        return;
      }
      List<Integer> curves = codes(NamedGroup.curves());
      recordKeyExchange(
          offer(hello(version).withCipherSuites(dhe).withSupportedGroups(curves, List.of())));
      List<Integer> remaining = new ArrayList<>(codes(NamedGroup.finiteField()));
      while (!remaining.isEmpty()) {
        List<Integer> groups = new ArrayList<>(remaining);
        groups.addAll(curves);
        ServerFlight flight =
            offer(hello(version).withCipherSuites(dhe).withSupportedGroups(groups, List.of()));
        if (!(flight.keyExchange() instanceof ServerKeyExchange.Dhe dh)) {
          break;
        }
        recordKeyExchange(flight);
        Integer group = Rfc7919.groupCode(dh.prime()).orElse(null);
        if (group == null || !remaining.remove(group)) {
          break;
        }
      }
    }

    // TLS 1.3 groups: without key shares an accepting server names its group in a
    // HelloRetryRequest (RFC 8446 §4.1.4), so no key is needed for any group.
    private void enumerateTls13Groups() throws StartTlsConnector.ConnectionFailure {
      List<Integer> remaining = new ArrayList<>(codes(NamedGroup.all()));
      while (!remaining.isEmpty()) {
        ServerFlight flight =
            offer(hello(TlsVersion.TLS_1_3).withSupportedGroups(remaining, List.of()));
        if (!flight.accepted() || flight.serverHello().keyShareGroup().isEmpty()) {
          break;
        }
        int group = flight.serverHello().keyShareGroup().get();
        if (!remaining.remove(Integer.valueOf(group))) {
          notes.add("TLS 1.3 server chose group " + NamedGroup.name(group) + ", not offered");
          break;
        }
        tls13Groups.add(group);
      }
    }

    // Key-exchange hash: TLS 1.2 hellos listing only SHA-1, then only SHA-224 schemes.
    private TlsPosture.Sigalgs sigalgs(TlsVersion version, List<TlsPosture.AcceptedSuite> suites)
        throws StartTlsConnector.ConnectionFailure {
      if (version == null) {
        return new TlsPosture.Sigalgs(
            null, null, null, false, "only TLS 1.3, which never signs with SHA-1 or SHA-224");
      }
      List<Integer> signed = new ArrayList<>();
      for (TlsPosture.AcceptedSuite suite : suites) {
        CipherSuites.byCode(suite.code())
            .filter(s -> s.kind().signed())
            .ifPresent(s -> signed.add(s.code()));
      }
      if (signed.isEmpty()) {
        return new TlsPosture.Sigalgs(
            version, null, null, false, "no accepted suite signs its key exchange");
      }
      if (version != TlsVersion.TLS_1_2) {
        return new TlsPosture.Sigalgs(version, null, null, true, null);
      }
      Integer sha1 = signedWith(signed, SignatureScheme.SHA1);
      Integer sha224 = signedWith(signed, SignatureScheme.SHA224);
      return new TlsPosture.Sigalgs(version, sha1, sha224, false, null);
    }

    private Integer signedWith(List<Integer> suites, List<Integer> schemes)
        throws StartTlsConnector.ConnectionFailure {
      ServerFlight flight =
          offer(
              hello(TlsVersion.TLS_1_2).withCipherSuites(suites).withSignatureAlgorithms(schemes));
      if (flight.accepted() && flight.keyExchange() != null) {
        return flight.keyExchange().signatureScheme();
      }
      return null;
    }

    private void recordKeyExchange(ServerFlight flight) {
      if (flight.keyExchange() instanceof ServerKeyExchange.Ecdhe ecdh && ecdh.namedGroup() >= 0) {
        ecdheCurves.add(ecdh.namedGroup());
      } else if (flight.keyExchange() instanceof ServerKeyExchange.Dhe dh) {
        TlsPosture.DhParameters parameters =
            new TlsPosture.DhParameters(dh.prime(), dh.generator());
        if (!dhParameters.contains(parameters)) {
          dhParameters.add(parameters);
        }
      }
      if (flight.accepted()
          && flight.serverHello().selectedVersion() == TlsVersion.TLS_1_3.wire()) {
        flight.serverHello().keyShareGroup().ifPresent(tls13Groups::add);
      }
    }

    private ClientHello hello(TlsVersion version) {
      if (version == TlsVersion.TLS_1_3) {
        return ClientHello.of(version, codes(CipherSuites.tls13()), serverName);
      }
      // DEFLATE (1) is offered in every older hello: a server that picks it has compression on.
      return ClientHello.of(version, codes(CipherSuites.legacyCandidates()), serverName)
          .withCompressionMethods(List.of(1));
    }

    private ServerFlight offer(ClientHello hello) throws StartTlsConnector.ConnectionFailure {
      try {
        return connector.exchange(
            connection -> {
              write(connection, hello.encode());
              ServerFlight flight = FlightReader.read(connection.smtp().input());
              consecutiveTimeouts = 0;
              return flight;
            });
      } catch (TlsParseException e) {
        consecutiveTimeouts = 0;
        notes.add(
            "unparseable reply to a " + hello.version().label() + " hello: " + e.getMessage());
        return new ServerFlight(
            null, List.of(), null, null, "unparseable reply: " + e.getMessage());
      } catch (SocketTimeoutException e) {
        // A server that answers SMTP but stops answering hellos would otherwise cost a full
        // timeout per probe, and its silence would read as "not accepted" every time.
        if (++consecutiveTimeouts >= MAX_CONSECUTIVE_TIMEOUTS) {
          throw new StartTlsConnector.ConnectionFailure(
              io.mxwatch.smtp.SmtpOutcome.TIMEOUT,
              consecutiveTimeouts + " ClientHellos in a row got no reply before the timeout");
        }
        return new ServerFlight(null, List.of(), null, null, describe(e));
      } catch (IOException e) {
        consecutiveTimeouts = 0;
        return new ServerFlight(null, List.of(), null, null, describe(e));
      }
    }
  }

  private static void write(StartTlsDialogue.Ready connection, byte[] bytes) throws IOException {
    OutputStream out = connection.smtp().output();
    out.write(bytes);
    out.flush();
  }

  private static TlsPosture.AcceptedSuite acceptedSuite(ServerFlight flight) {
    Integer group = null;
    Integer dhBits = null;
    if (flight.keyExchange() instanceof ServerKeyExchange.Ecdhe ecdh && ecdh.namedGroup() >= 0) {
      group = ecdh.namedGroup();
    } else if (flight.keyExchange() instanceof ServerKeyExchange.Dhe dh) {
      dhBits = dh.primeBits();
    }
    return new TlsPosture.AcceptedSuite(flight.serverHello().cipherSuite(), group, dhBits);
  }

  private static List<Integer> suitesOfKind(List<TlsPosture.AcceptedSuite> suites, boolean ecdhe) {
    List<Integer> codes = new ArrayList<>();
    for (TlsPosture.AcceptedSuite suite : suites) {
      CipherSuites.byCode(suite.code())
          .filter(s -> ecdhe ? s.kind().ecdhe() : s.kind().dhe())
          .ifPresent(s -> codes.add(s.code()));
    }
    return codes;
  }

  private static TlsVersion highestBelowTls13(Map<TlsVersion, TlsPosture.VersionResult> versions) {
    for (TlsVersion version :
        List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_1, TlsVersion.TLS_1_0, TlsVersion.SSL_3_0)) {
      if (versions.get(version).accepted()) {
        return version;
      }
    }
    return null;
  }

  private static List<Integer> codes(List<?> items) {
    List<Integer> codes = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof CipherSuite suite) {
        codes.add(suite.code());
      } else if (item instanceof NamedGroup group) {
        codes.add(group.code());
      }
    }
    return codes;
  }

  private static String describe(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return "no reply to the hello before the timeout";
    }
    return "connection ended: " + Failures.reason(e);
  }

  static boolean isHostName(String host) {
    return host != null && !host.isEmpty() && !host.contains(":") && !host.matches("[0-9.]+");
  }
}
