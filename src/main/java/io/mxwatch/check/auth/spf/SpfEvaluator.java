package io.mxwatch.check.auth.spf;

import io.mxwatch.check.auth.TxtStrings;
import io.mxwatch.dns.Dns;
import io.mxwatch.dns.DnsAnswer;
import io.mxwatch.net.AddressPolicy;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The check_host() function of RFC 7208 §4, with the processing limits of §4.6.4.
 *
 * <p>It runs in two modes. {@link #checkHost} evaluates for one client and stops at the first
 * error, exactly as a receiver does. {@link #analyze} evaluates for a client that no address-based
 * mechanism matches, which is what every stranger on the internet is; it visits the whole tree and
 * keeps going after errors, so that the tree shows every lookup and every broken term. Terms whose
 * target depends on the sender or the client are counted but not resolved in that mode.
 */
public final class SpfEvaluator {
  /** DNS-querying terms allowed in one evaluation (RFC 7208 §4.6.4). */
  public static final int MAX_DNS_LOOKUPS = 10;

  /** Void lookups allowed in one evaluation (RFC 7208 §4.6.4 recommends two). */
  public static final int MAX_VOID_LOOKUPS = 2;

  /** Address lookups allowed per {@code mx} mechanism, and PTR names used per {@code ptr}. */
  static final int MAX_ADDRESS_LOOKUPS = 10;

  /** Analysis keeps counting after the limit to show the real size, but stops descending here. */
  static final int ANALYSIS_LOOKUP_CAP = 60;

  private static final int MAX_DOMAIN_LENGTH = 253;

  private final Dns dns;
  private final InetAddress ip;
  private final String localPart;
  private final String senderDomain;
  private final String helo;
  private final Clock clock;
  private final String defaultExplanation;

  private int lookups;
  private int voids;
  private SpfResult firstError;
  private String firstProblem;
  private String firstProblemTerm;
  private String firstProblemRecord;
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, Integer> includeCounts = new HashMap<>();
  private String validatedName;

  private SpfEvaluator(
      Dns dns,
      InetAddress ip,
      String localPart,
      String senderDomain,
      String helo,
      Clock clock,
      String defaultExplanation) {
    this.dns = dns;
    this.ip = ip;
    this.localPart = localPart;
    this.senderDomain = senderDomain;
    this.helo = helo;
    this.clock = clock;
    this.defaultExplanation = defaultExplanation;
  }

  /**
   * Evaluates the MAIL FROM identity {@code sender} for a client, as RFC 7208 §2.4 and §4 describe:
   * an empty sender is replaced by {@code postmaster@helo}.
   *
   * @param defaultExplanation the explanation of a fail when the record has no usable {@code exp}
   */
  public static SpfEvaluation checkHost(
      Dns dns, InetAddress ip, String sender, String helo, Clock clock, String defaultExplanation) {
    String identity = sender == null || sender.isEmpty() ? "postmaster@" + helo : sender;
    int at = identity.lastIndexOf('@');
    String local = at < 0 ? "postmaster" : identity.substring(0, at);
    String domain = at < 0 ? identity : identity.substring(at + 1);
    if (local.isEmpty()) {
      local = "postmaster";
    }
    InetAddress client = unmap(ip);
    SpfEvaluator evaluator =
        new SpfEvaluator(dns, client, local, domain, helo, clock, defaultExplanation);
    return evaluator.run(domain);
  }

  /**
   * Evaluates a domain's policy for a client that matches no address-based mechanism, and collects
   * the whole include tree.
   */
  public static SpfEvaluation analyze(Dns dns, String domain) {
    SpfEvaluator evaluator =
        new SpfEvaluator(dns, null, "postmaster", domain, domain, Clock.systemUTC(), null);
    return evaluator.run(domain);
  }

  private boolean analysis() {
    return ip == null;
  }

  private SpfEvaluation run(String domain) {
    // RFC 7208 §4.3: a domain that is not a multi-label FQDN gives "none" without any lookup.
    String problem = domainProblem(domain, true);
    if (problem != null) {
      SpfTree.RecordNode node =
          new SpfTree.RecordNode(domain, null, SpfResult.NONE, problem, List.of());
      return new SpfEvaluation(SpfResult.NONE, null, problem, null, null, 0, 0, node, warnings);
    }
    Outcome outcome = evaluate(domain.toLowerCase(Locale.ROOT), new ArrayDeque<>(), true);
    SpfResult result = firstError != null ? firstError : outcome.result();
    String explanation = result == SpfResult.FAIL ? outcome.explanation() : null;
    if (result == SpfResult.FAIL && explanation == null) {
      explanation = defaultExplanation;
    }
    String problemText = firstError != null ? firstProblem : outcome.node().problem();
    return new SpfEvaluation(
        result,
        explanation,
        problemText,
        firstProblemTerm,
        firstProblemRecord,
        lookups,
        voids,
        outcome.node(),
        warnings);
  }

  /** The result of one record: its own result, the explanation of a fail, and its node. */
  private record Outcome(SpfResult result, String explanation, SpfTree.RecordNode node) {}

  /** The outcome of one term. {@code error} is null unless the term failed. */
  private record Step(boolean matched, SpfResult error, String problem, SpfTree.TermNode node) {}

  private Outcome evaluate(String domain, Deque<String> stack, boolean wantExplanation) {
    // Record lookup and selection (RFC 7208 §4.4, §4.5).
    Selection selection = select(domain);
    if (selection.result() != null) {
      return new Outcome(
          selection.result(),
          null,
          new SpfTree.RecordNode(
              domain, selection.text(), selection.result(), selection.problem(), List.of()));
    }
    SpfRecord record = selection.record();

    stack.push(domain);
    try {
      List<SpfTree.TermNode> nodes = new ArrayList<>();
      SpfResult result = null;
      SpfResult localError = null;
      String problem = null;
      boolean matchedHere = false;
      for (Mechanism mechanism : record.mechanisms()) {
        if (result != null) {
          nodes.add(node(mechanism.text(), 0, 0, "never evaluated: an earlier term ends it", null));
          continue;
        }
        Step step = evaluateMechanism(mechanism, domain, stack);
        nodes.add(step.node());
        if (step.error() != null) {
          if (problem == null) {
            problem = step.problem();
          }
          recordError(step.error(), step.problem(), mechanism.text(), domain);
          if (localError == null) {
            localError = step.error();
          }
          if (!analysis()) {
            result = step.error();
          }
        } else if (step.matched()) {
          result = mechanism.qualifier().result();
          matchedHere = true;
        }
      }

      String explanation = null;
      if (result == null && record.redirect() != null) {
        // RFC 7208 §6.1: redirect applies only when no mechanism matched (so never with "all").
        Outcome redirected = redirect(record.redirect(), domain, stack, wantExplanation);
        nodes.add(redirectNode(record.redirect(), redirected));
        result = redirected.result();
        explanation = redirected.explanation();
        if (result.isError() && problem == null) {
          problem = redirected.node().problem();
        }
      } else if (record.redirect() != null) {
        nodes.add(node(record.redirect().text(), 0, 0, "ignored: a mechanism matched", null));
      }
      if (result == null || (localError != null && !result.isError())) {
        // In analysis an error in this record outranks whatever the later terms gave.
        result = localError != null ? localError : SpfResult.NEUTRAL;
      }
      if (matchedHere && result == SpfResult.FAIL && wantExplanation) {
        explanation = explain(record.explanation(), domain);
      }
      SpfTree.RecordNode node =
          new SpfTree.RecordNode(domain, record.text(), result, problem, nodes);
      return new Outcome(result, explanation, node);
    } finally {
      stack.pop();
    }
  }

  private void recordError(SpfResult error, String problem, String term, String domain) {
    if (firstError == null) {
      firstError = error;
      firstProblem = problem;
      firstProblemTerm = term;
      firstProblemRecord = domain;
    }
  }

  private record Selection(SpfRecord record, SpfResult result, String text, String problem) {}

  private Selection select(String domain) {
    Name name = toName(domain);
    if (name == null) {
      return new Selection(null, SpfResult.NONE, null, "'" + domain + "' is not a valid name");
    }
    DnsAnswer answer = dns.query(name, Type.TXT);
    if (answer.inconclusive() || answer.bogus()) {
      return new Selection(
          null, SpfResult.TEMPERROR, null, "TXT lookup failed: " + answer.describe());
    }
    List<String> candidates = new ArrayList<>();
    for (TXTRecord txt : answer.recordsAs(TXTRecord.class)) {
      String text = TxtStrings.join(txt);
      if (SpfParser.isSpfRecord(text)) {
        candidates.add(text);
      }
    }
    if (candidates.isEmpty()) {
      return new Selection(null, SpfResult.NONE, null, "no SPF record at " + domain);
    }
    if (candidates.size() > 1) {
      return new Selection(
          null,
          SpfResult.PERMERROR,
          String.join(" | ", candidates),
          candidates.size() + " SPF records at " + domain + " (RFC 7208 §4.5 allows one)");
    }
    String text = candidates.get(0);
    try {
      return new Selection(SpfParser.parse(text), null, text, null);
    } catch (SpfSyntaxException e) {
      return new Selection(
          null,
          SpfResult.PERMERROR,
          TxtStrings.printable(text),
          "syntax error in the record of " + domain + ": " + e.getMessage());
    }
  }

  private Step evaluateMechanism(Mechanism mechanism, String domain, Deque<String> stack) {
    return switch (mechanism.kind()) {
      case ALL -> matched(mechanism, "matches every client");
      case IP4, IP6 -> evaluateNetwork(mechanism);
      case INCLUDE, A, MX, PTR, EXISTS -> evaluateQuerying(mechanism, domain, stack);
    };
  }

  private Step evaluateNetwork(Mechanism mechanism) {
    int prefix =
        mechanism.kind() == Mechanism.Kind.IP4 ? mechanism.ip4Prefix() : mechanism.ip6Prefix();
    if (analysis()) {
      String note = prefix == 0 ? "matches every address of its family, like +all" : null;
      return noMatch(mechanism, 0, note);
    }
    boolean matches = Networks.contains(mechanism.network(), prefix, ip);
    return matches ? matched(mechanism, "matched") : noMatch(mechanism, 0, null);
  }

  private Step evaluateQuerying(Mechanism mechanism, String domain, Deque<String> stack) {
    // RFC 7208 §4.6.4: each of these terms counts, whether or not its lookups succeed.
    lookups++;
    if (lookups > MAX_DNS_LOOKUPS) {
      String problem =
          "more than "
              + MAX_DNS_LOOKUPS
              + " DNS-querying terms (RFC 7208 §4.6.4); this is number "
              + lookups;
      if (!analysis() || lookups > ANALYSIS_LOOKUP_CAP) {
        return error(mechanism, SpfResult.PERMERROR, problem);
      }
      recordError(SpfResult.PERMERROR, problem, mechanism.text(), domain);
    }

    Target target = target(mechanism.domainSpec(), domain);
    if (target.invalid() != null) {
      // A target that is not a valid DNS name is treated as non-existent (RFC 7208 §4.3, §7.3).
      return voidLookup(mechanism, "target " + target.invalid() + ": treated as non-existent");
    }
    if (target.senderDependent()) {
      return noMatch(
          mechanism,
          0,
          "depends on the sender or client ("
              + mechanism.domainSpec().letters()
              + " macros); not resolved");
    }
    return switch (mechanism.kind()) {
      case INCLUDE -> evaluateInclude(mechanism, target.domain(), stack);
      case A -> evaluateA(mechanism, target.domain());
      case MX -> evaluateMx(mechanism, target.domain());
      case PTR -> evaluatePtr(mechanism, target.domain());
      case EXISTS -> evaluateExists(mechanism, target.domain());
      default -> throw new IllegalStateException("not a querying mechanism: " + mechanism);
    };
  }

  private Step evaluateInclude(Mechanism mechanism, String target, Deque<String> stack) {
    if (stack.contains(target)) {
      return error(
          mechanism,
          SpfResult.PERMERROR,
          "'"
              + mechanism.text()
              + "' in the record of "
              + stack.peek()
              + " loops back to "
              + target
              + " ("
              + loopPath(stack, target)
              + ", RFC 7208 §5.2)");
    }
    int seen = includeCounts.merge(target, 1, Integer::sum);
    if (seen == 2) {
      warnings.add(target + " is included more than once; each include counts towards the limit");
    }
    if (lookups > ANALYSIS_LOOKUP_CAP) {
      return noMatch(mechanism, 0, "not followed: analysis stops after " + ANALYSIS_LOOKUP_CAP);
    }
    int before = lookups;
    Outcome outcome = evaluate(target, stack, false);
    SpfTree.TermNode node =
        new SpfTree.TermNode(
            mechanism.text(), 1, before, 0, includeNote(outcome.result()), outcome.node());
    // RFC 7208 §5.2: how the included result maps onto the include mechanism.
    return switch (outcome.result()) {
      case PASS -> new Step(true, null, null, node);
      case FAIL, SOFTFAIL, NEUTRAL -> new Step(false, null, null, node);
      case TEMPERROR -> new Step(false, SpfResult.TEMPERROR, errorText(outcome, target), node);
      case PERMERROR -> new Step(false, SpfResult.PERMERROR, errorText(outcome, target), node);
      case NONE ->
          new Step(
              false,
              SpfResult.PERMERROR,
              "include:" + target + " has no SPF record (RFC 7208 §5.2: permerror)",
              node);
    };
  }

  private static String includeNote(SpfResult result) {
    return switch (result) {
      case PASS -> "matched: the included policy passes this client";
      case NONE -> "broken: no SPF record";
      case TEMPERROR, PERMERROR -> "broken: " + result.wireName();
      default -> null;
    };
  }

  private static String errorText(Outcome outcome, String target) {
    String problem = outcome.node().problem();
    return problem != null ? problem : outcome.result().wireName() + " in " + target;
  }

  private Step evaluateA(Mechanism mechanism, String target) {
    List<InetAddress> addresses = new ArrayList<>();
    AddressLookup lookup = addresses(target, addresses);
    if (lookup.error() != null) {
      return error(mechanism, SpfResult.TEMPERROR, lookup.error());
    }
    if (lookup.empty()) {
      return voidLookup(mechanism, "no address records at " + target);
    }
    return matchAny(mechanism, addresses);
  }

  private Step evaluateMx(Mechanism mechanism, String target) {
    DnsAnswer answer = dns.query(toName(target), Type.MX);
    if (answer.inconclusive() || answer.bogus()) {
      return error(mechanism, SpfResult.TEMPERROR, "MX lookup failed: " + answer.describe());
    }
    List<MXRecord> records = answer.recordsAs(MXRecord.class);
    if (records.isEmpty()) {
      return voidLookup(mechanism, "no MX records at " + target);
    }
    if (records.size() > MAX_ADDRESS_LOOKUPS) {
      // RFC 7208 §4.6.4: more than 10 MX names to look up is a permerror.
      return error(
          mechanism,
          SpfResult.PERMERROR,
          target
              + " has "
              + records.size()
              + " MX records; mx allows "
              + MAX_ADDRESS_LOOKUPS
              + " (RFC 7208 §4.6.4)");
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (MXRecord record : records) {
      if (record.getTarget().equals(Name.root)) {
        continue;
      }
      AddressLookup lookup = addresses(text(record.getTarget()), addresses);
      if (lookup.error() != null) {
        return error(mechanism, SpfResult.TEMPERROR, lookup.error());
      }
    }
    return matchAny(mechanism, addresses);
  }

  private Step evaluatePtr(Mechanism mechanism, String target) {
    if (analysis()) {
      return noMatch(mechanism, 0, "depends on the client's reverse DNS; not resolved");
    }
    // RFC 7208 §5.5: a DNS error while looking up the PTR records means no match.
    for (String name : validatedNames()) {
      if (name.equals(target) || name.endsWith("." + target)) {
        return matched(mechanism, "matched: " + name);
      }
    }
    return noMatch(mechanism, 0, null);
  }

  private Step evaluateExists(Mechanism mechanism, String target) {
    // RFC 7208 §5.7: always an A lookup, whatever the client's address family.
    DnsAnswer answer = dns.query(toName(target), Type.A);
    if (answer.inconclusive() || answer.bogus()) {
      return error(mechanism, SpfResult.TEMPERROR, "A lookup failed: " + answer.describe());
    }
    if (answer.recordsAs(ARecord.class).isEmpty()) {
      return voidLookup(mechanism, "no A record at " + target);
    }
    return matched(
        mechanism, analysis() ? "matches every client: " + target + " exists" : "matched");
  }

  private Outcome redirect(
      Modifier redirect, String domain, Deque<String> stack, boolean wantExplanation) {
    lookups++;
    String term = redirect.text();
    if (lookups > MAX_DNS_LOOKUPS) {
      String problem =
          "more than "
              + MAX_DNS_LOOKUPS
              + " DNS-querying terms (RFC 7208 §4.6.4); this is number "
              + lookups;
      recordError(SpfResult.PERMERROR, problem, term, domain);
      if (!analysis() || lookups > ANALYSIS_LOOKUP_CAP) {
        return brokenRedirect(domain, SpfResult.PERMERROR, problem);
      }
    }
    Target target = target(redirect.value(), domain);
    if (target.invalid() != null) {
      String problem = "redirect target " + target.invalid();
      recordError(SpfResult.PERMERROR, problem, term, domain);
      return brokenRedirect(domain, SpfResult.PERMERROR, problem);
    }
    if (target.senderDependent()) {
      return brokenRedirect(
          domain, SpfResult.NEUTRAL, "redirect depends on the sender; not resolved");
    }
    if (stack.contains(target.domain())) {
      String problem =
          "'"
              + term
              + "' in the record of "
              + domain
              + " loops back to "
              + target.domain()
              + " ("
              + loopPath(stack, target.domain())
              + ", RFC 7208 §6.1)";
      recordError(SpfResult.PERMERROR, problem, term, domain);
      return brokenRedirect(target.domain(), SpfResult.PERMERROR, problem);
    }
    Outcome outcome = evaluate(target.domain(), stack, wantExplanation);
    if (outcome.result() == SpfResult.NONE) {
      // RFC 7208 §6.1: a redirect target without a record is a permerror.
      String problem = "redirect=" + target.domain() + " has no SPF record (RFC 7208 §6.1)";
      recordError(SpfResult.PERMERROR, problem, term, domain);
      SpfTree.RecordNode node =
          new SpfTree.RecordNode(
              target.domain(), null, SpfResult.PERMERROR, problem, outcome.node().terms());
      return new Outcome(SpfResult.PERMERROR, null, node);
    }
    if (outcome.result().isError()) {
      recordError(outcome.result(), outcome.node().problem(), term, domain);
    }
    return outcome;
  }

  private Outcome brokenRedirect(String domain, SpfResult result, String problem) {
    return new Outcome(
        result, null, new SpfTree.RecordNode(domain, null, result, problem, List.of()));
  }

  private SpfTree.TermNode redirectNode(Modifier redirect, Outcome outcome) {
    String note = outcome.result().isError() ? "broken: " + outcome.result().wireName() : null;
    return new SpfTree.TermNode(redirect.text(), 1, lookups, 0, note, outcome.node());
  }

  private static String loopPath(Deque<String> stack, String target) {
    List<String> path = new ArrayList<>(stack);
    java.util.Collections.reverse(path);
    int start = path.indexOf(target);
    List<String> loop = new ArrayList<>(path.subList(start, path.size()));
    loop.add(target);
    return String.join(" -> ", loop);
  }

  /**
   * Returns the explanation of a fail (RFC 7208 §6.2). Any problem with it (no record, several, a
   * DNS error, invalid macros) leaves the default explanation in place.
   */
  private String explain(Modifier exp, String domain) {
    if (exp == null || analysis()) {
      return null;
    }
    Target target = target(exp.value(), domain);
    if (target.invalid() != null || target.senderDependent()) {
      return null;
    }
    DnsAnswer answer = dns.query(toName(target.domain()), Type.TXT);
    List<TXTRecord> records = answer.found() ? answer.recordsAs(TXTRecord.class) : List.of();
    if (records.size() != 1) {
      return null;
    }
    String text = TxtStrings.join(records.get(0));
    try {
      return MacroString.parse(text, true).expand(values(domain));
    } catch (SpfSyntaxException e) {
      return null;
    }
  }

  // --- targets and macros -----------------------------------------------------------------

  /** A term's target domain: resolved, invalid, or depending on the sender. */
  private record Target(String domain, String invalid, boolean senderDependent) {}

  private Target target(MacroString spec, String currentDomain) {
    if (spec == null) {
      return new Target(currentDomain, null, false);
    }
    if (analysis() && spec.isSenderDependent()) {
      return new Target(null, null, true);
    }
    String expanded = truncate(spec.expand(values(currentDomain)));
    String problem = domainProblem(expanded, false);
    if (problem == null && toName(expanded) == null) {
      problem = "'" + expanded + "' is not a valid DNS name";
    }
    if (problem != null) {
      return new Target(null, problem, false);
    }
    return new Target(stripDot(expanded).toLowerCase(Locale.ROOT), null, false);
  }

  private MacroString.MacroValues values(String currentDomain) {
    return letter ->
        switch (letter) {
          case 's' -> localPart + "@" + senderDomain;
          case 'l' -> localPart;
          case 'o' -> senderDomain;
          case 'd' -> currentDomain;
          case 'i' -> dottedAddress();
          case 'p' -> validatedName(currentDomain);
          case 'v' -> ip instanceof Inet6Address ? "ip6" : "in-addr";
          case 'h' -> helo;
          case 'c' -> ip == null ? "" : com.google.common.net.InetAddresses.toAddrString(ip);
          case 'r' -> "unknown";
          case 't' -> Long.toString(clock.instant().getEpochSecond());
          default -> throw new IllegalArgumentException("unknown macro letter " + letter);
        };
  }

  /** Formats the client address for the {@code i} macro, IPv6 as dot-separated nibbles (§7.3). */
  private String dottedAddress() {
    if (ip instanceof Inet4Address) {
      return ip.getHostAddress();
    }
    StringBuilder out = new StringBuilder();
    for (byte b : ip.getAddress()) {
      if (!out.isEmpty()) {
        out.append('.');
      }
      out.append(Character.forDigit((b >> 4) & 0xf, 16)).append('.');
      out.append(Character.forDigit(b & 0xf, 16));
    }
    return out.toString();
  }

  /**
   * Returns the {@code p} macro: a validated name of the client, preferably in the domain (§7.3).
   */
  private String validatedName(String currentDomain) {
    if (validatedName == null) {
      List<String> names = validatedNames();
      validatedName =
          names.stream()
              .filter(n -> n.equals(currentDomain) || n.endsWith("." + currentDomain))
              .findFirst()
              .orElse(names.isEmpty() ? "unknown" : names.get(0));
    }
    return validatedName;
  }

  private List<String> validatedNamesCache;

  /**
   * Names of the client's PTR records whose addresses include the client, at most 10 names (RFC
   * 7208 §5.5). DNS errors skip the name, or give no names when the PTR lookup itself fails.
   */
  private List<String> validatedNames() {
    if (validatedNamesCache != null) {
      return validatedNamesCache;
    }
    List<String> names = new ArrayList<>();
    DnsAnswer ptr = dns.query(ReverseMap.fromAddress(ip), Type.PTR);
    List<PTRRecord> records = ptr.found() ? ptr.recordsAs(PTRRecord.class) : List.of();
    for (PTRRecord record : records.subList(0, Math.min(records.size(), MAX_ADDRESS_LOOKUPS))) {
      String name = text(record.getTarget());
      List<InetAddress> addresses = new ArrayList<>();
      AddressLookup lookup = addresses(name, addresses);
      if (lookup.error() == null && addresses.contains(ip)) {
        names.add(name);
      }
    }
    validatedNamesCache = names;
    return names;
  }

  // --- DNS helpers ------------------------------------------------------------------------

  private record AddressLookup(boolean empty, String error) {}

  /**
   * Adds the addresses of {@code domain} of the client's family; both families in analysis.
   *
   * <p>NOTE: in analysis a name counts as a void lookup only when it has neither A nor AAAA
   * records, although a client of one family would also see a void lookup for a name that has only
   * the other family's records.
   */
  private AddressLookup addresses(String domain, List<InetAddress> into) {
    Name name = toName(domain);
    if (name == null) {
      return new AddressLookup(true, null);
    }
    boolean empty = true;
    List<Integer> types =
        analysis()
            ? List.of(Type.A, Type.AAAA)
            : List.of(ip instanceof Inet4Address ? Type.A : Type.AAAA);
    for (int type : types) {
      DnsAnswer answer = dns.query(name, type);
      if (answer.inconclusive() || answer.bogus()) {
        return new AddressLookup(false, Type.string(type) + " lookup failed: " + answer.describe());
      }
      for (ARecord a : answer.recordsAs(ARecord.class)) {
        into.add(a.getAddress());
        empty = false;
      }
      for (AAAARecord aaaa : answer.recordsAs(AAAARecord.class)) {
        into.add(unmap(aaaa.getAddress()));
        empty = false;
      }
    }
    return new AddressLookup(empty, null);
  }

  private Step matchAny(Mechanism mechanism, List<InetAddress> addresses) {
    if (analysis()) {
      return noMatch(mechanism, 0, addresses.size() + " addresses");
    }
    int prefix = ip instanceof Inet4Address ? mechanism.ip4Prefix() : mechanism.ip6Prefix();
    for (InetAddress address : addresses) {
      if (Networks.contains(address, prefix, ip)) {
        return matched(mechanism, "matched " + address.getHostAddress());
      }
    }
    return noMatch(mechanism, 0, null);
  }

  private Step voidLookup(Mechanism mechanism, String note) {
    voids++;
    if (voids > MAX_VOID_LOOKUPS) {
      String problem = "more than " + MAX_VOID_LOOKUPS + " void lookups (RFC 7208 §4.6.4): " + note;
      Step error = error(mechanism, SpfResult.PERMERROR, problem);
      return new Step(
          false,
          error.error(),
          error.problem(),
          new SpfTree.TermNode(
              mechanism.text(), 1, lookups, 1, "void lookup over the limit", null));
    }
    return new Step(
        false, null, null, new SpfTree.TermNode(mechanism.text(), 1, lookups, 1, note, null));
  }

  private Step matched(Mechanism mechanism, String note) {
    int cost = mechanism.kind().queriesDns() ? 1 : 0;
    return new Step(true, null, null, node(mechanism.text(), cost, 0, note, null));
  }

  private Step noMatch(Mechanism mechanism, int voidCount, String note) {
    int cost = mechanism.kind().queriesDns() ? 1 : 0;
    if (voidCount > 0) {
      voids += voidCount;
      if (voids > MAX_VOID_LOOKUPS) {
        return error(
            mechanism,
            SpfResult.PERMERROR,
            "more than " + MAX_VOID_LOOKUPS + " void lookups (RFC 7208 §4.6.4)");
      }
    }
    return new Step(false, null, null, node(mechanism.text(), cost, voidCount, note, null));
  }

  private Step error(Mechanism mechanism, SpfResult result, String problem) {
    int cost = mechanism.kind().queriesDns() ? 1 : 0;
    return new Step(
        false,
        result,
        problem,
        node(mechanism.text(), cost, 0, result.wireName() + ": " + problem, null));
  }

  private SpfTree.TermNode node(
      String term, int cost, int voidCount, String note, SpfTree.RecordNode target) {
    return new SpfTree.TermNode(term, cost, lookups, voidCount, note, target);
  }

  // --- names ------------------------------------------------------------------------------

  /**
   * Returns why {@code domain} cannot be looked up, or null. {@code initial} applies the stricter
   * rule of RFC 7208 §4.3 for the checked identity: it must be a fully qualified multi-label name.
   */
  static String domainProblem(String domain, boolean initial) {
    String name = stripDot(domain);
    if (name.isEmpty()) {
      return "'" + domain + "' is empty";
    }
    if (name.startsWith("[")) {
      return "'" + domain + "' is an address literal, not a domain";
    }
    if (name.length() > MAX_DOMAIN_LENGTH) {
      return "'" + domain + "' is longer than 253 characters";
    }
    String[] labels = name.split("\\.", -1);
    if (initial && labels.length < 2) {
      return "'" + domain + "' is not a fully qualified domain name";
    }
    for (String label : labels) {
      if (label.isEmpty()) {
        return "'" + domain + "' has an empty label";
      }
      if (label.length() > 63) {
        return "'" + domain + "' has a label longer than 63 characters";
      }
    }
    return null;
  }

  /** RFC 7208 §7.3: a name longer than 253 characters loses labels from the left until it fits. */
  private static String truncate(String domain) {
    String name = stripDot(domain);
    while (name.length() > MAX_DOMAIN_LENGTH && name.indexOf('.') >= 0) {
      name = name.substring(name.indexOf('.') + 1);
    }
    return name;
  }

  private static String stripDot(String domain) {
    return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
  }

  private static Name toName(String domain) {
    try {
      return Name.fromString(stripDot(domain) + ".");
    } catch (TextParseException e) {
      return null;
    }
  }

  private static String text(Name name) {
    return name.toString(true).toLowerCase(Locale.ROOT);
  }

  /** Converts an IPv4-mapped IPv6 address to the IPv4 address it carries. */
  private static InetAddress unmap(InetAddress address) {
    if (address instanceof Inet6Address && AddressPolicy.isIpv4Mapped(address.getAddress())) {
      byte[] v4 = new byte[4];
      System.arraycopy(address.getAddress(), 12, v4, 0, 4);
      try {
        return InetAddress.getByAddress(v4);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("4 bytes are always an IPv4 address", e);
      }
    }
    return address;
  }
}
