package io.mxwatch.smtp;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Limits the connections to each IP address: at most a given number open at once, and a pause
 * between one closing and the next opening. One gate is shared by the whole process, so that
 * concurrent scans of domains with a common MX never pile up on it.
 */
public final class AddressGate {
  private static final AddressGate SHARED = new AddressGate();

  /** Idle addresses kept for their pause bookkeeping before a clean-up pass removes them. */
  private static final int CLEANUP_THRESHOLD = 1024;

  private final Map<String, Slot> slots = new HashMap<>();

  /** A gate of its own, for tests that must not share slots with other probes. */
  public AddressGate() {}

  /** The gate of the process. */
  public static AddressGate shared() {
    return SHARED;
  }

  private static final class Slot {
    int open;
    int waiting;
    long lastClosedNanos = Long.MIN_VALUE;
    long pauseNanos;
  }

  /** A granted connection slot; closing it lets the next connection to the address proceed. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits until a connection to {@code address} is allowed.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public Permit acquire(String address, int maxOpen, Duration pause) throws InterruptedException {
    long pauseNanos = pause.toNanos();
    synchronized (this) {
      if (slots.size() > CLEANUP_THRESHOLD) {
        removeIdle();
      }
      Slot slot = slots.computeIfAbsent(address, a -> new Slot());
      slot.waiting++;
      try {
        while (true) {
          long now = System.nanoTime();
          long readyAt =
              slot.lastClosedNanos == Long.MIN_VALUE ? now : slot.lastClosedNanos + pauseNanos;
          if (slot.open < maxOpen && now - readyAt >= 0) {
            break;
          }
          if (slot.open >= maxOpen) {
            wait();
          } else {
            long millis = Math.max(1, (readyAt - now) / 1_000_000);
            wait(millis);
          }
        }
      } finally {
        slot.waiting--;
      }
      slot.open++;
      slot.pauseNanos = pauseNanos;
      return () -> release(slot);
    }
  }

  /** Connections open to {@code address} right now, for tests and metrics. */
  public synchronized int open(String address) {
    Slot slot = slots.get(address);
    return slot == null ? 0 : slot.open;
  }

  private synchronized void release(Slot slot) {
    slot.open--;
    slot.lastClosedNanos = System.nanoTime();
    notifyAll();
  }

  private void removeIdle() {
    long now = System.nanoTime();
    Iterator<Slot> it = slots.values().iterator();
    while (it.hasNext()) {
      Slot slot = it.next();
      boolean paused =
          slot.lastClosedNanos != Long.MIN_VALUE && now - slot.lastClosedNanos < slot.pauseNanos;
      if (slot.open == 0 && slot.waiting == 0 && !paused) {
        it.remove();
      }
    }
  }
}
