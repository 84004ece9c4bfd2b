package io.mxwatch.dns;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/** Forwards to another resolver and counts the queries sent, validator queries included. */
final class CountingResolver implements Resolver {
  private final Resolver delegate;
  private final AtomicInteger queries = new AtomicInteger();

  CountingResolver(Resolver delegate) {
    this.delegate = delegate;
  }

  int queries() {
    return queries.get();
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    queries.incrementAndGet();
    return delegate.sendAsync(query);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    queries.incrementAndGet();
    return delegate.sendAsync(query, executor);
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
