package io.mxwatch.check.auth;

import io.mxwatch.check.auth.spf.SpfEvaluation;
import io.mxwatch.check.auth.spf.SpfEvaluator;
import io.mxwatch.check.auth.spf.SpfParser;
import io.mxwatch.check.auth.spf.SpfResult;
import io.mxwatch.check.auth.spf.SpfSyntaxException;
import io.mxwatch.check.auth.spf.SpfTree;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.TXTRecord;

/** The rules of {@code auth.spf} and {@code auth.spf_policy}, as pure functions of evidence. */
public final class SpfChecks {
  private SpfChecks() {}

  /** RFC 7208 §3.4 recommends keeping a record under 450 octets so the answer fits in UDP. */
  static final int RECOMMENDED_MAX_LENGTH = 450;

  /** The TXT lookup at the domain, sorted into SPF records and look-alikes. */
  public record SpfRecords(DnsAnswer answer, List<String> records, List<String> lookalikes) {
    public SpfRecords {
      records = List.copyOf(records);
      lookalikes = List.copyOf(lookalikes);
    }

    public static SpfRecords of(DnsAnswer answer) {
      List<String> records = new ArrayList<>();
      List<String> lookalikes = new ArrayList<>();
      for (TXTRecord txt :
          answer.found() ? answer.recordsAs(TXTRecord.class) : List.<TXTRecord>of()) {
        String text = TxtStrings.join(txt);
        if (SpfParser.isSpfRecord(text)) {
          records.add(text);
        } else if (text.strip().toLowerCase(Locale.ROOT).startsWith("v=spf")
            || text.toLowerCase(Locale.ROOT).startsWith("spf1")) {
          lookalikes.add(text);
        }
      }
      return new SpfRecords(answer, records, lookalikes);
    }

    /** Returns the single valid record, or null. */
    public String single() {
      return records.size() == 1 ? records.get(0) : null;
    }
  }

  /** {@code auth.spf}: exactly one {@code v=spf1} record with valid syntax. */
  public static Finding record(String domain, SpfRecords spf, boolean nullMx) {
    DnsAnswer answer = spf.answer();
    Map<String, Object> details = new LinkedHashMap<>();
    if (answer.inconclusive() || answer.bogus()) {
      details.put("lookup", answer.describe());
      return finding(
          Check.AUTH_SPF,
          Status.ERROR,
          domain,
          "could not look up the TXT records of " + domain + ": " + answer.describe(),
          details,
          null);
    }
    details.put("records", spf.records().stream().map(TxtStrings::printable).toList());
    if (!spf.lookalikes().isEmpty()) {
      details.put("ignored", spf.lookalikes().stream().map(TxtStrings::printable).toList());
    }
    if (spf.records().isEmpty()) {
      String summary = "no SPF record at " + domain;
      if (!spf.lookalikes().isEmpty()) {
        summary +=
            "; a TXT record looks like SPF but does not start with 'v=spf1' and a space: "
                + TxtStrings.printable(spf.lookalikes().get(0));
      }
      return finding(
          Check.AUTH_SPF, Status.FAIL, domain, summary, details, publishAdvice(domain, nullMx));
    }
    if (spf.records().size() > 1) {
      return finding(
          Check.AUTH_SPF,
          Status.FAIL,
          domain,
          "SPF permerror: "
              + spf.records().size()
              + " SPF records at "
              + domain
              + ", where RFC 7208 §4.5 allows one",
          details,
          "Merge them into one TXT record that starts with 'v=spf1' and delete the others.");
    }
    String text = spf.records().get(0);
    try {
      SpfParser.parse(text);
    } catch (SpfSyntaxException e) {
      details.put("error", e.getMessage());
      return finding(
          Check.AUTH_SPF,
          Status.FAIL,
          domain,
          "SPF permerror: syntax error in the record of " + domain + ": " + e.getMessage(),
          details,
          "Fix the record so every term follows RFC 7208 §12; receivers treat any syntax error"
              + " as permerror, which most handle like no SPF at all.");
    }
    if (text.length() > RECOMMENDED_MAX_LENGTH) {
      details.put("length", text.length());
      return finding(
          Check.AUTH_SPF,
          Status.WARN,
          domain,
          "the SPF record is "
              + text.length()
              + " characters; RFC 7208 §3.4 recommends under "
              + RECOMMENDED_MAX_LENGTH
              + " so the answer fits in one UDP packet",
          details,
          "Shorten the record, for example by moving address ranges into an included record"
              + " (each include costs one of the 10 DNS lookups).");
    }
    return finding(Check.AUTH_SPF, Status.PASS, domain, "one valid SPF record", details, null);
  }

  /** {@code auth.spf_policy}: the policy a stranger gets, and the processing limits. */
  public static Finding policy(
      String domain, SpfRecords spf, SpfEvaluation evaluation, boolean nullMx) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (spf.answer().inconclusive() || spf.answer().bogus()) {
      return finding(
          Check.AUTH_SPF_POLICY,
          Status.ERROR,
          domain,
          "could not look up the SPF record: " + spf.answer().describe(),
          details,
          null);
    }
    if (spf.records().isEmpty()) {
      return finding(
          Check.AUTH_SPF_POLICY,
          Status.FAIL,
          domain,
          "no SPF policy: receivers get 'none' for mail from " + domain,
          details,
          publishAdvice(domain, nullMx));
    }

    details.put("resultForUnlistedServers", evaluation.result().wireName());
    details.put("dnsLookups", evaluation.dnsLookups());
    details.put("dnsLookupLimit", SpfEvaluator.MAX_DNS_LOOKUPS);
    details.put("voidLookups", evaluation.voidLookups());
    details.put("voidLookupLimit", SpfEvaluator.MAX_VOID_LOOKUPS);
    if (evaluation.problem() != null) {
      details.put("problem", evaluation.problem());
    }
    if (evaluation.problemTerm() != null) {
      details.put("problemTerm", evaluation.problemTerm());
    }
    if (!evaluation.warnings().isEmpty()) {
      details.put("warnings", evaluation.warnings());
    }
    details.put("tree", evaluation.root().toDetails());

    return switch (evaluation.result()) {
      case TEMPERROR ->
          finding(
              Check.AUTH_SPF_POLICY,
              Status.ERROR,
              domain,
              "SPF evaluation hit a DNS error "
                  + problemPlace(domain, evaluation)
                  + ": "
                  + evaluation.problem(),
              details,
              null);
      case PERMERROR -> permerror(domain, evaluation, details);
      case NONE ->
          finding(
              Check.AUTH_SPF_POLICY,
              Status.FAIL,
              domain,
              "no usable SPF policy: " + evaluation.problem(),
              details,
              publishAdvice(domain, nullMx));
      case PASS ->
          finding(
              Check.AUTH_SPF_POLICY,
              Status.FAIL,
              domain,
              "every server on the internet passes SPF for "
                  + domain
                  + describeMatch(evaluation.root()),
              details,
              "Replace '+all' (or the term that matches every client) with '-all' or '~all',"
                  + " and list only your own servers before it.");
      case NEUTRAL -> neutral(domain, spf, evaluation, details);
      case FAIL, SOFTFAIL -> strangerRejected(domain, evaluation, details, nullMx);
    };
  }

  /**
   * Grades a policy that leaves unlisted servers 'neutral'. The deciding record is the last one a
   * redirect chain reaches, so the advice names that record; a redirect built from the sender's
   * address cannot be followed without a sender, so that policy is reported as unknown.
   */
  private static Finding neutral(
      String domain, SpfRecords spf, SpfEvaluation evaluation, Map<String, Object> details) {
    SpfTree.RecordNode decider = evaluation.root();
    String redirect = null;
    while (true) {
      SpfTree.TermNode next = redirectOf(decider);
      if (next == null) {
        break;
      }
      redirect = next.term();
      if (next.target() == null || next.target().record() == null) {
        return finding(
            Check.AUTH_SPF_POLICY,
            Status.WARN,
            domain,
            "what unlisted servers get is decided by '"
                + redirect
                + "', which is expanded from each sender's address, so it cannot be checked",
            details,
            "Point the redirect at a fixed domain whose record ends in '-all', so receivers and"
                + " checkers can see the policy.");
      }
      decider = next.target();
    }
    String summary =
        "unlisted servers get 'neutral'"
            + (endsWithAll(decider) ? " ('?all')" : " (the record has no 'all')")
            + (redirect == null ? "" : " in the record of " + decider.domain() + " via " + redirect)
            + ", so the policy protects nothing";
    String record = redirect == null ? spf.single() : decider.record();
    String advice =
        "End the record"
            + (redirect == null ? "" : " of " + decider.domain())
            + " with '-all' (or '~all' while you are still finding senders): publish '"
            + suggestedRecord(record)
            + "'"
            + (redirect == null ? "" : " at " + decider.domain())
            + ".";
    return finding(Check.AUTH_SPF_POLICY, Status.FAIL, domain, summary, details, advice);
  }

  /** The record's redirect modifier, unless an 'all' term makes receivers ignore it. */
  private static SpfTree.TermNode redirectOf(SpfTree.RecordNode node) {
    SpfTree.TermNode redirect = null;
    for (SpfTree.TermNode term : node.terms()) {
      String lower = term.term().toLowerCase(Locale.ROOT);
      if (lower.matches("[-+~?]?all")) {
        return null;
      }
      if (lower.startsWith("redirect=")) {
        redirect = term;
      }
    }
    return redirect;
  }

  private static Finding permerror(
      String domain, SpfEvaluation evaluation, Map<String, Object> details) {
    String problem = evaluation.problem() == null ? "permerror" : evaluation.problem();
    String advice;
    if (problem.contains("DNS-querying terms")) {
      advice =
          "Bring the DNS-querying terms (include, a, mx, ptr, exists, redirect) across the whole"
              + " tree down to 10 or fewer: the tree in the details shows what each include"
              + " costs. Replace 'a' and 'mx' with ip4:/ip6: ranges, drop includes of services"
              + " you no longer use, or ask a provider for a flatter include.";
    } else if (problem.contains("void lookups")) {
      advice =
          "Remove the terms that point at names without records (see the tree in the details);"
              + " more than 2 such lookups is a permerror (RFC 7208 §4.6.4).";
    } else if (problem.contains("loop")) {
      advice = "Break the loop: no record may include or redirect to a record above it.";
    } else if (evaluation.problemTerm() == null) {
      advice =
          "Fix the SPF record of "
              + domain
              + " as the summary describes: receivers return permerror for the whole policy.";
    } else {
      advice =
          "Fix or remove the broken term '"
              + evaluation.problemTerm()
              + "': receivers return permerror for the whole policy.";
    }
    return finding(
        Check.AUTH_SPF_POLICY,
        Status.FAIL,
        domain,
        permerrorSummary(evaluation, problem),
        details,
        advice);
  }

  /** Builds the summary of a permerror: its reason and the term that caused it. */
  private static String permerrorSummary(SpfEvaluation evaluation, String problem) {
    String term = evaluation.problemTerm();
    if (term == null) {
      // The domain's own record could not be used, and the problem names that record.
      return "SPF permerror: " + problem;
    }
    String where =
        evaluation.problemRecord() == null ? "" : " in the record of " + evaluation.problemRecord();
    if (problem.contains("DNS-querying terms")) {
      return "SPF permerror: "
          + evaluation.dnsLookups()
          + " DNS-querying terms, the limit is "
          + SpfEvaluator.MAX_DNS_LOOKUPS
          + "; the "
          + ordinal(SpfEvaluator.MAX_DNS_LOOKUPS + 1)
          + " is '"
          + term
          + "'"
          + where;
    }
    if (problem.contains("void lookups")) {
      // The evaluator writes the void lookup that crossed the limit after "): ".
      int cause = problem.indexOf("): ");
      return "SPF permerror: "
          + evaluation.voidLookups()
          + " void lookups, the limit is "
          + SpfEvaluator.MAX_VOID_LOOKUPS
          + "; the "
          + ordinal(SpfEvaluator.MAX_VOID_LOOKUPS + 1)
          + " is '"
          + term
          + "'"
          + where
          + (cause < 0 ? "" : " (" + problem.substring(cause + 3) + ")");
    }
    if (problem.contains(term)) {
      return "SPF permerror: " + problem;
    }
    return "SPF permerror: '" + term + "'" + where + ": " + problem;
  }

  /** Returns the English ordinal of a number, such as 1st, 3rd or 11th. */
  private static String ordinal(int number) {
    int lastTwo = number % 100;
    if (lastTwo >= 11 && lastTwo <= 13) {
      return number + "th";
    }
    return switch (number % 10) {
      case 1 -> number + "st";
      case 2 -> number + "nd";
      case 3 -> number + "rd";
      default -> number + "th";
    };
  }

  /**
   * Returns where evaluation went wrong: at a term, or at the domain's own record when the record
   * could not be selected at all (syntax error, several records, failed TXT lookup).
   */
  private static String problemPlace(String domain, SpfEvaluation evaluation) {
    if (evaluation.problemTerm() == null) {
      return "at the record of " + domain;
    }
    return "at '" + evaluation.problemTerm() + "'";
  }

  private static Finding strangerRejected(
      String domain, SpfEvaluation evaluation, Map<String, Object> details, boolean nullMx) {
    String all = evaluation.result() == SpfResult.FAIL ? "-all" : "~all";
    String via = describeMatch(evaluation.root());
    List<String> concerns = new ArrayList<>(evaluation.warnings());
    List<String> broadRanges = broadRanges(evaluation.root());
    if (!broadRanges.isEmpty()) {
      return finding(
          Check.AUTH_SPF_POLICY,
          Status.FAIL,
          domain,
          "'" + broadRanges.get(0) + "' lets every address of its family pass, like '+all'",
          details,
          "Replace '" + broadRanges.get(0) + "' with the address ranges of your own servers.");
    }
    if (usesPtr(evaluation.root())) {
      concerns.add("the record uses 'ptr', which RFC 7208 §5.5 says SHOULD NOT be published");
    }
    if (!concerns.isEmpty()) {
      return finding(
          Check.AUTH_SPF_POLICY,
          Status.WARN,
          domain,
          "unlisted servers get '"
              + evaluation.result().wireName()
              + "' ("
              + all
              + via
              + "), but "
              + String.join("; ", concerns),
          details,
          "Keep the policy, and remove the duplicate includes or 'ptr' terms: each include"
              + " counts towards the limit of 10 lookups every time it appears.");
    }
    String advice = null;
    if (nullMx && evaluation.result() == SpfResult.SOFTFAIL) {
      advice = "A domain that sends no mail should publish 'v=spf1 -all'.";
    }
    return finding(
        Check.AUTH_SPF_POLICY,
        Status.PASS,
        domain,
        "unlisted servers get '"
            + evaluation.result().wireName()
            + "' ("
            + all
            + via
            + "); "
            + evaluation.dnsLookups()
            + " of "
            + SpfEvaluator.MAX_DNS_LOOKUPS
            + " DNS lookups used",
        details,
        advice);
  }

  /** Where the deciding term sits, such as " via redirect=_spf.example.net". */
  private static String describeMatch(SpfTree.RecordNode root) {
    for (SpfTree.TermNode term : root.terms()) {
      if (term.term().toLowerCase(Locale.ROOT).startsWith("redirect=") && term.target() != null) {
        return " via " + term.term() + describeMatch(term.target());
      }
      if (term.target() != null && term.target().result() == SpfResult.PASS) {
        return " via " + term.term();
      }
    }
    return "";
  }

  private static boolean endsWithAll(SpfTree.RecordNode node) {
    for (SpfTree.TermNode term : node.terms()) {
      String lower = term.term().toLowerCase(Locale.ROOT);
      if (lower.matches("[-+~?]?all")) {
        return true;
      }
      if (lower.startsWith("redirect=") && term.target() != null) {
        return endsWithAll(term.target());
      }
    }
    return false;
  }

  private static List<String> broadRanges(SpfTree.RecordNode node) {
    List<String> found = new ArrayList<>();
    for (SpfTree.TermNode term : node.terms()) {
      String lower = term.term().toLowerCase(Locale.ROOT);
      if ((lower.matches("[+]?ip4:.*/0") || lower.matches("[+]?ip6:.*/0"))) {
        found.add(term.term());
      }
      if (term.target() != null) {
        found.addAll(broadRanges(term.target()));
      }
    }
    return found;
  }

  private static boolean usesPtr(SpfTree.RecordNode node) {
    for (SpfTree.TermNode term : node.terms()) {
      if (term.term().toLowerCase(Locale.ROOT).matches("[-+~?]?ptr(:.*)?")) {
        return true;
      }
      if (term.target() != null && usesPtr(term.target())) {
        return true;
      }
    }
    return false;
  }

  private static String suggestedRecord(String record) {
    if (record == null) {
      return "v=spf1 mx -all";
    }
    String kept =
        java.util.Arrays.stream(record.split(" +"))
            .filter(t -> !t.toLowerCase(Locale.ROOT).matches("[-+~?]?all"))
            .reduce((a, b) -> a + " " + b)
            .orElse("v=spf1");
    return kept + " -all";
  }

  static String publishAdvice(String domain, boolean nullMx) {
    if (nullMx) {
      return "Publish the TXT record 'v=spf1 -all' at "
          + domain
          + ": the domain sends no mail, and this tells receivers to reject mail that claims to"
          + " come from it.";
    }
    return "Publish one TXT record at "
        + domain
        + " that lists the servers sending its mail and ends in '-all', for example"
        + " 'v=spf1 mx -all' when only the MX hosts send.";
  }

  private static Finding finding(
      Check check,
      Status status,
      String target,
      String summary,
      Map<String, Object> details,
      String advice) {
    return new Finding(check.id(), status, target, summary, details, advice);
  }
}
