package io.mxwatch.dns;

import io.mxwatch.net.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The DNS of one scan: validates every answer, caches answers for the rest of the scan, counts
 * queries and DNS time, and stops asking once the scan's DNS budget is spent.
 */
public final class DnsSession implements Dns {
  /** RFC 1034 leaves the limit to implementations; 8 hops is what common resolvers allow. */
  static final int MAX_CNAME_HOPS = 8;

  /** Prefix of dnsjava's reason text when it ignored NSEC3 records for their iteration count. */
  private static final String NSEC3_IGNORED = "All NSEC3s were validated but ignored";

  private final ValidatingResolver validator;
  private final CountingResolver head;
  private final DnsSettings settings;
  private final Executor executor;
  private final Map<Key, CompletableFuture<DnsAnswer>> cache = new ConcurrentHashMap<>();
  // NOTE: lookups that overlap in time each add their full wait, so with parallel lookups the
  // budget runs out before that much wall-clock time has passed.
  private final AtomicLong spentNanos = new AtomicLong();
  private final AtomicInteger directQueries = new AtomicInteger();

  private record Key(Name name, int type) {}

  DnsSession(
      ValidatingResolver validator,
      CountingResolver head,
      DnsSettings settings,
      Executor executor) {
    this.validator = validator;
    this.head = head;
    this.settings = settings;
    this.executor = executor;
  }

  /**
   * Queries sent so far: to the resolvers, including the validator's DS and DNSKEY queries, and
   * straight to name servers.
   */
  public int queriesSent() {
    return head.queries() + directQueries.get();
  }

  /** Time spent waiting for answers so far, summed over lookups. */
  public Duration timeSpent() {
    return Duration.ofNanos(spentNanos.get());
  }

  @Override
  public DnsAnswer query(Name name, int type) {
    return query(name, type, 0);
  }

  private DnsAnswer query(Name name, int type, int hopsSoFar) {
    Key key = new Key(name, type);
    CompletableFuture<DnsAnswer> mine = new CompletableFuture<>();
    CompletableFuture<DnsAnswer> existing = cache.putIfAbsent(key, mine);
    if (existing != null) {
      return existing.join();
    }
    DnsAnswer answer;
    try {
      answer = resolve(name, type, hopsSoFar);
    } catch (RuntimeException e) {
      // A fault in parsing or validation must not poison the cache entry for waiting threads.
      answer = DnsAnswer.failure(name, type, Outcome.FAILED, "lookup failed: " + e);
    }
    mine.complete(answer);
    return answer;
  }

  private DnsAnswer resolve(Name name, int type, int hopsSoFar) {
    DnsAnswer answer = lookupOnce(name, type);
    if (answer.outcome() != Outcome.NODATA || answer.cnameChain().isEmpty()) {
      return answer;
    }

    // The resolver stopped at a CNAME without the target's data: follow it ourselves.
    int hops = hopsSoFar + answer.cnameChain().size();
    if (hops > MAX_CNAME_HOPS) {
      return withOutcome(answer, Outcome.FAILED, "CNAME chain longer than " + MAX_CNAME_HOPS);
    }
    Name target = answer.canonicalName();
    if (target.equals(name)
        || answer.cnameChain().subList(0, answer.cnameChain().size() - 1).contains(target)) {
      return withOutcome(answer, Outcome.FAILED, "CNAME loop at " + target);
    }
    DnsAnswer rest = query(target, type, hops);
    List<Name> chain = new ArrayList<>(answer.cnameChain());
    for (Name next : rest.cnameChain()) {
      if (chain.contains(next) || next.equals(name)) {
        return withOutcome(answer, Outcome.FAILED, "CNAME loop at " + next);
      }
      chain.add(next);
    }
    List<org.xbill.DNS.RRSIGRecord> signatures = new ArrayList<>(answer.signatures());
    signatures.addAll(rest.signatures());
    return new DnsAnswer(
        name,
        type,
        rest.outcome(),
        rest.records(),
        chain,
        weaker(answer.security(), rest.security()),
        rest.edeCode(),
        rest.reason(),
        signatures);
  }

  private static DnsAnswer withOutcome(DnsAnswer answer, Outcome outcome, String reason) {
    return new DnsAnswer(
        answer.name(),
        answer.type(),
        outcome,
        List.of(),
        answer.cnameChain(),
        answer.security(),
        answer.edeCode(),
        reason,
        answer.signatures());
  }

  /** The weaker of two statuses along a CNAME chain: one bogus or insecure link decides. */
  private static Security weaker(Security first, Security second) {
    return first.compareTo(second) >= 0 ? first : second;
  }

  private DnsAnswer lookupOnce(Name name, int type) {
    Duration remaining = settings.scanBudget().minusNanos(spentNanos.get());
    if (remaining.isNegative() || remaining.isZero()) {
      return budgetUsedUp(name, type);
    }
    Duration wait = min(remaining, validationTimeout());
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    long start = System.nanoTime();
    CompletableFuture<Message> pending = validator.sendAsync(query, executor).toCompletableFuture();
    try {
      Message response = pending.get(wait.toNanos(), TimeUnit.NANOSECONDS);
      DnsAnswer answer = AnswerReader.read(name, type, response, validator.getTrustAnchors());
      return answer.bogus() ? explain(upstreamFailureOr(answer)) : answer;
    } catch (TimeoutException e) {
      pending.cancel(true);
      return DnsAnswer.failure(
          name, type, Outcome.TIMEOUT, "no answer within " + wait.toMillis() + " ms");
    } catch (ExecutionException e) {
      // The validator gives up with the exception of whichever query failed, often a DS or
      // DNSKEY lookup on the chain of trust: name that lookup.
      DnsAnswer failure = failureOf(name, type, e.getCause(), resolverList());
      return chainFailure(name, type).orElse(failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.cancel(true);
      return DnsAnswer.failure(name, type, Outcome.TIMEOUT, "interrupted");
    } finally {
      spentNanos.addAndGet(System.nanoTime() - start);
    }
  }

  /**
   * Replaces the validator's general reason for a bogus answer with a precise one. A CNAME loop or
   * an over-long chain fails validation too, because the chain never ends in data or a denial of
   * existence; that is a fault of the data, not of DNSSEC, so it becomes a failed lookup.
   */
  private DnsAnswer explain(DnsAnswer answer) {
    if (!answer.bogus()) {
      return answer;
    }
    BogusDiagnosis diagnoser = new BogusDiagnosis(head, settings.clock(), settings.queryTimeout());
    if (answer.reason() != null && answer.reason().startsWith(NSEC3_IGNORED)) {
      return insecureNsec3Denial(answer, diagnoser);
    }
    var cnameProblem = diagnoser.cnameProblem(answer.name(), answer.type(), MAX_CNAME_HOPS);
    if (cnameProblem.isPresent()) {
      return DnsAnswer.failure(answer.name(), answer.type(), Outcome.FAILED, cnameProblem.get());
    }
    var diagnosis = diagnoser.diagnose(answer.name(), answer.type());
    if (diagnosis.isEmpty()) {
      return answer;
    }
    return new DnsAnswer(
        answer.name(),
        answer.type(),
        answer.outcome(),
        answer.records(),
        answer.cnameChain(),
        answer.security(),
        diagnosis.get().edeCode(),
        diagnosis.get().reason(),
        answer.signatures());
  }

  /**
   * RFC 9276 §3.2 lets validators treat NSEC3 records with too many iterations as insecure, and
   * dnsjava (3.6.5) does so for NXDOMAIN, but it marks the same proof in a NODATA answer bogus.
   * Unbound answers insecure for both. The NODATA answer is read again without validation and kept
   * as insecure, the status the validator gives the NXDOMAIN case.
   */
  private DnsAnswer insecureNsec3Denial(DnsAnswer bogus, BogusDiagnosis diagnoser) {
    Message raw = diagnoser.raw(bogus.name(), bogus.type());
    if (raw == null) {
      return bogus;
    }
    DnsAnswer unvalidated =
        AnswerReader.read(bogus.name(), bogus.type(), raw, validator.getTrustAnchors());
    if (!unvalidated.absent()) {
      return bogus;
    }
    return new DnsAnswer(
        unvalidated.name(),
        unvalidated.type(),
        unvalidated.outcome(),
        List.of(),
        unvalidated.cnameChain(),
        Security.INSECURE,
        -1,
        "NSEC3 iteration count above the validator's limit (RFC 9276 §3.2): treated as insecure",
        List.of());
  }

  /**
   * A validator rejects answers it could not check: an upstream SERVFAIL, or a DS or DNSKEY lookup
   * that timed out. Those say nothing about the zone, so they become inconclusive failures; only
   * answers whose data the resolvers delivered stay bogus.
   */
  private DnsAnswer upstreamFailureOr(DnsAnswer bogus) {
    String own = head.failure(bogus.name(), bogus.type());
    if (own != null) {
      return DnsAnswer.failure(bogus.name(), bogus.type(), failureOutcome(own), own);
    }
    return chainFailure(bogus.name(), bogus.type()).orElse(bogus);
  }

  /** A failed DS or DNSKEY lookup for a zone at or above {@code name}, as the lookup's failure. */
  private Optional<DnsAnswer> chainFailure(Name name, int type) {
    for (var failure : head.failures().entrySet()) {
      CountingResolver.Question question = failure.getKey();
      boolean chainLookup = question.type() == Type.DS || question.type() == Type.DNSKEY;
      if (chainLookup && name.subdomain(question.name())) {
        return Optional.of(
            DnsAnswer.failure(
                name,
                type,
                failureOutcome(failure.getValue()),
                "cannot validate: "
                    + Type.string(question.type())
                    + " lookup for "
                    + question.name()
                    + " failed ("
                    + failure.getValue()
                    + ")"));
      }
    }
    return Optional.empty();
  }

  private static Outcome failureOutcome(String reason) {
    return reason.startsWith(CountingResolver.NO_ANSWER) ? Outcome.TIMEOUT : Outcome.SERVFAIL;
  }

  /**
   * Time allowed for one validated lookup. Validation may need DS and DNSKEY lookups for every zone
   * cut above the name, so it gets several times the time of one query over every resolver.
   */
  private Duration validationTimeout() {
    return settings.queryTimeout().multipliedBy(DnsService.attempts(settings) * 4);
  }

  @Override
  public DnsAnswer queryServer(InetAddress server, Name name, int type) {
    Duration remaining = settings.scanBudget().minusNanos(spentNanos.get());
    if (remaining.isNegative() || remaining.isZero()) {
      return budgetUsedUp(name, type);
    }
    InetSocketAddress address = new InetSocketAddress(server, settings.nameServerPort());
    SimpleResolver resolver = new SimpleResolver(address);
    resolver.setTimeout(min(remaining, settings.queryTimeout()));
    resolver.setEDNS(0, DnsSettings.EDNS_BUFFER_SIZE, 0, List.of());
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    // An authoritative server is asked for its own data, so recursion is not requested.
    query.getHeader().unsetFlag(Flags.RD);

    directQueries.incrementAndGet();
    long start = System.nanoTime();
    CompletableFuture<Message> pending = resolver.sendAsync(query, executor).toCompletableFuture();
    try {
      // The resolver's own timeout ends the query; the extra second only guards against a hang.
      Message response =
          pending.get(settings.queryTimeout().plusSeconds(1).toNanos(), TimeUnit.NANOSECONDS);
      return AnswerReader.readDirect(name, type, response);
    } catch (TimeoutException e) {
      pending.cancel(true);
      return DnsAnswer.failure(
          name, type, Outcome.TIMEOUT, "no answer from " + describe(address) + " in time");
    } catch (ExecutionException e) {
      return failureOf(name, type, e.getCause(), describe(address));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.cancel(true);
      return DnsAnswer.failure(name, type, Outcome.TIMEOUT, "interrupted");
    } finally {
      spentNanos.addAndGet(System.nanoTime() - start);
    }
  }

  private static String describe(InetSocketAddress address) {
    String host = Addresses.text(address.getAddress());
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private DnsAnswer budgetUsedUp(Name name, int type) {
    return DnsAnswer.failure(
        name,
        type,
        Outcome.TIMEOUT,
        "DNS budget of " + settings.scanBudget().toSeconds() + "s for this scan is used up");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * A failed lookup in plain words.
   *
   * @param resolvers the server or servers that were asked, as the message names them
   */
  private static DnsAnswer failureOf(Name name, int type, Throwable cause, String resolvers) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || (t instanceof IOException && String.valueOf(t.getMessage()).contains("Timed out"))) {
        return DnsAnswer.failure(name, type, Outcome.TIMEOUT, "no answer from " + resolvers);
      }
      if (t instanceof java.net.PortUnreachableException) {
        return DnsAnswer.failure(
            name, type, Outcome.FAILED, "nothing listens for DNS on " + resolvers);
      }
      if (t instanceof java.net.ConnectException) {
        return DnsAnswer.failure(name, type, Outcome.FAILED, "connection refused by " + resolvers);
      }
      if (t instanceof org.xbill.DNS.WireParseException) {
        return DnsAnswer.failure(
            name,
            type,
            Outcome.FAILED,
            "malformed answer from " + resolvers + ": " + t.getMessage());
      }
    }
    String message =
        cause == null || cause.getMessage() == null ? "unknown error" : cause.getMessage();
    return DnsAnswer.failure(
        name, type, Outcome.FAILED, "lookup through " + resolvers + " failed: " + message);
  }

  /** The configured resolvers, as a user wrote them. */
  private String resolverList() {
    return String.join(
        ", ",
        settings.resolvers().stream()
            .map(a -> Addresses.text(a.getAddress()) + ":" + a.getPort())
            .toList());
  }

  /** True when the scan's DNS budget is spent: further lookups end as timeouts at once. */
  public boolean budgetUsedUp() {
    return spentNanos.get() >= settings.scanBudget().toNanos();
  }
}
