package io.mxwatch.check.tls;

import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.tls.CipherSuites;
import io.mxwatch.tls.TlsPosture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tls.cipher_order}, as internet.nl grades it: a server must prefer its sufficient suites
 * over phase-out ones, which matters only when phase-out suites are enabled. The summary also
 * states whose order the server follows, from the test that offers the suites in both orders.
 */
final class CipherOrderGrading {
  private static final String CLIENT_ORDER_ADVICE =
      "Make the server enforce its own cipher order with the AEAD suites first (Postfix:"
          + " tls_preempt_cipherlist = yes), or disable the phase-out suites (Postfix:"
          + " smtpd_tls_exclude_ciphers).";
  private static final String SERVER_ORDER_ADVICE =
      "Put the AEAD suites (GCM, ChaCha20-Poly1305) before the phase-out suites in the server's"
          + " cipher list (Postfix: tls_high_cipherlist, with tls_preempt_cipherlist = yes), or"
          + " disable the phase-out suites (Postfix: smtpd_tls_exclude_ciphers).";

  private CipherOrderGrading() {}

  static Finding grade(String target, TlsPosture posture) {
    TlsPosture.CipherOrder order = posture.cipherOrder();
    Map<String, Object> details = new LinkedHashMap<>();
    if (posture.cipherVersion() == null) {
      return pass(
          target,
          "not applicable: the server accepts only TLS 1.3, whose suites need no server order",
          details);
    }
    if (!order.tested() && order.note() != null) {
      details.put("note", order.note());
      return TlsGrading.finding(
          Check.TLS_CIPHER_ORDER, Status.ERROR, target, order.note(), details, null);
    }
    List<Integer> accepted = posture.suites().stream().map(TlsPosture.AcceptedSuite::code).toList();
    if (accepted.size() < 2) {
      return pass(
          target,
          "not applicable: the server accepts only one suite, so there is no order to choose",
          details);
    }
    details.put("preference", preference(order));
    if (order.serverChoice() != null) {
      details.put("serverChoice", CipherSuites.name(order.serverChoice()));
    }
    if (order.violated()) {
      String chosen = CipherSuites.name(order.chosen());
      String expected = CipherSuites.name(order.expected());
      details.put("chosen", chosen);
      details.put("expected", expected);
      boolean clientOrder = order.preference() == TlsPosture.Preference.CLIENT;
      String summary =
          clientOrder
              ? "the server follows the client's order, so a client that lists phase-out "
                  + chosen
                  + " first gets it instead of sufficient "
                  + expected
              : describe(order)
                  + ", but it chose phase-out "
                  + chosen
                  + " over sufficient "
                  + expected;
      return TlsGrading.finding(
          Check.TLS_CIPHER_ORDER,
          Status.FAIL,
          target,
          summary,
          details,
          clientOrder || order.preference() == TlsPosture.Preference.NOT_TESTED
              ? CLIENT_ORDER_ADVICE
              : SERVER_ORDER_ADVICE);
    }
    boolean phaseOut =
        accepted.stream().anyMatch(c -> CipherGrading.level(c) == NcscLevel.PHASE_OUT);
    boolean sufficient =
        accepted.stream().anyMatch(c -> CipherGrading.level(c) == NcscLevel.SUFFICIENT);
    String reason;
    if (!phaseOut) {
      reason = "no phase-out suites are enabled, so the order does not matter";
    } else if (!sufficient) {
      reason = "no sufficient suite is enabled to prefer over the phase-out ones (see tls.ciphers)";
    } else {
      reason = "it prefers its sufficient suites over the phase-out ones";
    }
    return pass(target, describe(order) + ": " + reason, details);
  }

  /** Whose order the server follows, in words. */
  private static String describe(TlsPosture.CipherOrder order) {
    return switch (order.preference()) {
      case SERVER -> "the server enforces its own cipher order";
      case CLIENT -> "the server follows the client's order";
      case MIXED -> "the server enforces its own cipher order only in part";
      case NOT_TESTED -> "the server's order was not tested";
    };
  }

  private static String preference(TlsPosture.CipherOrder order) {
    return switch (order.preference()) {
      case SERVER -> "server";
      case CLIENT -> "client";
      case MIXED -> "mixed";
      case NOT_TESTED -> "not tested";
    };
  }

  private static Finding pass(String target, String summary, Map<String, Object> details) {
    return TlsGrading.finding(Check.TLS_CIPHER_ORDER, Status.PASS, target, summary, details, null);
  }
}
