package io.mxwatch.dns;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/**
 * Forwards to another resolver, counts the queries sent (validator queries included) and remembers
 * which questions the resolvers failed to answer, so that a validation failure caused by an
 * unreachable or failing server is not mistaken for a bogus zone.
 */
final class CountingResolver implements Resolver {
  private final Resolver delegate;
  private final AtomicInteger queries = new AtomicInteger();
  private final Map<Question, String> failures = new ConcurrentHashMap<>();

  /** A question sent to the resolvers. */
  record Question(Name name, int type) {}

  CountingResolver(Resolver delegate) {
    this.delegate = delegate;
  }

  int queries() {
    return queries.get();
  }

  /** Why the resolvers failed to answer this question, or null when they answered it. */
  String failure(Name name, int type) {
    return failures.get(new Question(name, type));
  }

  /** Every question the resolvers failed to answer so far, with the reason. */
  Map<Question, String> failures() {
    return Map.copyOf(failures);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, ForkJoinPool.commonPool());
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    queries.incrementAndGet();
    Question question = new Question(query.getQuestion().getName(), query.getQuestion().getType());
    return delegate
        .sendAsync(query, executor)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                failures.put(question, "no answer: " + rootMessage(error));
              } else if (response.getRcode() != Rcode.NOERROR
                  && response.getRcode() != Rcode.NXDOMAIN) {
                failures.put(question, "resolver answered " + Rcode.string(response.getRcode()));
              } else {
                failures.remove(question);
              }
            });
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  @Override
  public void setPort(int port) {
    delegate.setPort(port);
  }

  @Override
  public void setTCP(boolean flag) {
    delegate.setTCP(flag);
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    delegate.setIgnoreTruncation(flag);
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    delegate.setEDNS(version, payloadSize, flags, options);
  }

  @Override
  public void setTSIGKey(TSIG key) {
    delegate.setTSIGKey(key);
  }

  @Override
  public void setTimeout(Duration timeout) {
    delegate.setTimeout(timeout);
  }

  @Override
  public Duration getTimeout() {
    return delegate.getTimeout();
  }
}
