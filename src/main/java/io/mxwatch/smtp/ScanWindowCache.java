package io.mxwatch.smtp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Results of probes keyed by address, reused within a scan window and bounded in size. Concurrent
 * requests for one key share one probe, so an MX address that many domains use is probed once.
 *
 * @param <V> the evidence type
 */
public final class ScanWindowCache<V> {
  private final int maxEntries;
  private final Clock clock;
  private final Map<String, Cached<V>> entries;

  private record Cached<V>(CompletableFuture<V> future, Instant started) {}

  public ScanWindowCache(int maxEntries, Clock clock) {
    this.maxEntries = maxEntries;
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Cached<V>> eldest) {
            return size() > ScanWindowCache.this.maxEntries;
          }
        };
  }

  /**
   * The result for {@code key}: a probe still running, or a finished one younger than {@code
   * window} that {@code reusable} accepts; otherwise the result of a new {@code probe}.
   */
  public V get(String key, Duration window, Predicate<V> reusable, Supplier<V> probe) {
    CompletableFuture<V> mine = null;
    CompletableFuture<V> shared = null;
    synchronized (this) {
      Cached<V> entry = entries.get(key);
      if (entry != null && usable(entry, window, reusable)) {
        shared = entry.future();
      } else {
        mine = new CompletableFuture<>();
        if (maxEntries > 0) {
          entries.put(key, new Cached<>(mine, clock.instant()));
        }
      }
    }
    if (shared != null) {
      return join(shared);
    }
    try {
      V value = probe.get();
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      synchronized (this) {
        entries.remove(key);
      }
      throw e;
    }
  }

  public synchronized int size() {
    return entries.size();
  }

  private boolean usable(Cached<V> entry, Duration window, Predicate<V> reusable) {
    if (!entry.future().isDone()) {
      return true;
    }
    if (entry.future().isCompletedExceptionally()) {
      return false;
    }
    Duration age = Duration.between(entry.started(), clock.instant());
    return age.compareTo(window) < 0 && reusable.test(entry.future().join());
  }

  private static <V> V join(CompletableFuture<V> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
