package io.mxwatch.check.tls;

import io.mxwatch.tls.TlsPosture;
import io.mxwatch.tls.TlsVersion;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Postures built field by field for the grading tests; defaults are a clean TLS 1.2/1.3 server. */
final class Postures {
  Map<TlsVersion, TlsPosture.VersionResult> versions = new EnumMap<>(TlsVersion.class);
  TlsVersion cipherVersion = TlsVersion.TLS_1_2;
  List<TlsPosture.AcceptedSuite> suites = new ArrayList<>(List.of(suite(0xC02F), suite(0xC030)));
  List<Integer> tls13Suites = new ArrayList<>(List.of(0x1301, 0x1302));
  Map<TlsVersion, List<Integer>> olderSuites = new EnumMap<>(TlsVersion.class);
  TlsPosture.CipherOrder order = TlsPosture.CipherOrder.NOT_TESTED;
  TlsPosture.KeyExchange keyExchange =
      new TlsPosture.KeyExchange(Set.of(23, 29), Set.of(29), List.of());
  TlsPosture.Sigalgs sigalgs = new TlsPosture.Sigalgs(TlsVersion.TLS_1_2, null, null, false, null);
  Boolean deflate = false;
  Boolean secureRenegotiation = true;
  Boolean ems = true;
  TlsPosture.ClientRenegotiation renegotiation =
      new TlsPosture.ClientRenegotiation(1, 0, "server refused renegotiation attempt 1");

  Postures() {
    for (TlsVersion version : TlsVersion.values()) {
      boolean on = version == TlsVersion.TLS_1_2 || version == TlsVersion.TLS_1_3;
      versions.put(version, new TlsPosture.VersionResult(on, on ? "chose a suite" : "alert"));
    }
  }

  static TlsPosture.AcceptedSuite suite(int code) {
    return new TlsPosture.AcceptedSuite(code, null, null);
  }

  Postures accept(TlsVersion version, boolean accepted) {
    versions.put(version, new TlsPosture.VersionResult(accepted, accepted ? "chose" : "alert"));
    return this;
  }

  Postures tls13Only() {
    accept(TlsVersion.TLS_1_2, false);
    cipherVersion = null;
    suites = new ArrayList<>();
    deflate = null;
    secureRenegotiation = null;
    ems = null;
    sigalgs = new TlsPosture.Sigalgs(null, null, null, false, "only TLS 1.3");
    renegotiation = new TlsPosture.ClientRenegotiation(0, 0, "not tested");
    return this;
  }

  TlsPosture build() {
    return new TlsPosture(
        "mx.test/192.0.2.25",
        null,
        versions,
        List.of(),
        cipherVersion,
        suites,
        tls13Suites,
        olderSuites,
        order,
        keyExchange,
        sigalgs,
        deflate,
        secureRenegotiation,
        ems,
        renegotiation,
        List.of(),
        12,
        List.of());
  }
}
