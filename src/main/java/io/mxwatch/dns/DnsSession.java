package io.mxwatch.dns;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The DNS of one scan: validates every answer, caches answers for the rest of the scan, counts
 * queries and DNS time, and stops asking once the scan's DNS budget is spent.
 */
public final class DnsSession implements Dns {
  /** RFC 1034 leaves the limit to implementations; 8 hops is what common resolvers allow. */
  static final int MAX_CNAME_HOPS = 8;

  private final ValidatingResolver validator;
  private final CountingResolver head;
  private final DnsSettings settings;
  private final Executor executor;
  private final Map<Key, CompletableFuture<DnsAnswer>> cache = new ConcurrentHashMap<>();
  private final AtomicLong spentNanos = new AtomicLong();

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

  /** Queries sent to the resolvers so far, including the validator's DS and DNSKEY queries. */
  public int queriesSent() {
    return head.queries();
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
      return DnsAnswer.failure(
          name,
          type,
          Outcome.TIMEOUT,
          "DNS budget of " + settings.scanBudget().toSeconds() + "s for this scan is used up");
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
      return failureOf(name, type, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.cancel(true);
      return DnsAnswer.failure(name, type, Outcome.TIMEOUT, "interrupted");
    } finally {
      spentNanos.addAndGet(System.nanoTime() - start);
    }
  }

  /** Replaces the validator's general reason for a bogus answer with a precise one. */
  private DnsAnswer explain(DnsAnswer answer) {
    if (!answer.bogus()) {
      return answer;
    }
    var diagnosis =
        new BogusDiagnosis(head, settings.clock(), settings.queryTimeout())
            .diagnose(answer.name(), answer.type());
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
   * A validator rejects answers it could not check: an upstream SERVFAIL, or a DS or DNSKEY lookup
   * that timed out. Those say nothing about the zone, so they become inconclusive failures; only
   * answers whose data the resolvers delivered stay bogus.
   */
  private DnsAnswer upstreamFailureOr(DnsAnswer bogus) {
    String own = head.failure(bogus.name(), bogus.type());
    if (own != null) {
      Outcome outcome = own.startsWith("no answer") ? Outcome.TIMEOUT : Outcome.SERVFAIL;
      return DnsAnswer.failure(bogus.name(), bogus.type(), outcome, own);
    }
    for (var failure : head.failures().entrySet()) {
      CountingResolver.Question question = failure.getKey();
      boolean chainLookup = question.type() == Type.DS || question.type() == Type.DNSKEY;
      if (chainLookup && bogus.name().subdomain(question.name())) {
        return DnsAnswer.failure(
            bogus.name(),
            bogus.type(),
            Outcome.SERVFAIL,
            "cannot validate: "
                + Type.string(question.type())
                + " lookup for "
                + question.name()
                + " failed ("
                + failure.getValue()
                + ")");
      }
    }
    return bogus;
  }

  /**
   * Time allowed for one validated lookup. Validation may need DS and DNSKEY lookups for every zone
   * cut above the name, so it gets several times the time of one query.
   */
  private Duration validationTimeout() {
    long attempts = (long) settings.resolvers().size() * (settings.retries() + 1);
    return settings.queryTimeout().multipliedBy(attempts * 4);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static DnsAnswer failureOf(Name name, int type, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || (t instanceof IOException && String.valueOf(t.getMessage()).contains("Timed out"))) {
        return DnsAnswer.failure(name, type, Outcome.TIMEOUT, "no answer: " + t.getMessage());
      }
    }
    String message = cause == null ? "unknown error" : cause.getClass().getSimpleName();
    if (cause != null && cause.getMessage() != null) {
      message += ": " + cause.getMessage();
    }
    return DnsAnswer.failure(name, type, Outcome.FAILED, message);
  }
}
