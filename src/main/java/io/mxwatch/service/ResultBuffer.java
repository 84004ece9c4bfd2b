package io.mxwatch.service;

import io.mxwatch.model.ScanResult;
import io.mxwatch.store.ScanSlot;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Finished scans waiting for the database, oldest first. It is bounded: when it is full, a result
 * is not taken, and its domain keeps its lease and is scanned again once the lease runs out.
 */
final class ResultBuffer {
  /**
   * A finished scan that could not be written yet.
   *
   * @param claim the claim it ran for
   * @param result the result
   * @param slot where it belongs in the schedule
   */
  record Pending(DomainClaims.Claim claim, ScanResult result, ScanSlot slot) {}

  private final int capacity;
  private final Deque<Pending> pending = new ArrayDeque<>();

  ResultBuffer(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a result; false when the buffer is full. */
  synchronized boolean offer(Pending result) {
    if (pending.size() >= capacity) {
      return false;
    }
    pending.addLast(result);
    return true;
  }

  synchronized Optional<Pending> peek() {
    return Optional.ofNullable(pending.peekFirst());
  }

  synchronized void remove(Pending result) {
    pending.remove(result);
  }

  synchronized int size() {
    return pending.size();
  }

  synchronized boolean isEmpty() {
    return pending.isEmpty();
  }

  synchronized java.util.List<Long> domainIds() {
    return pending.stream().map(p -> p.claim().id()).toList();
  }
}
