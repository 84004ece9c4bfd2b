package io.mxwatch.store;

import java.time.Duration;
import java.time.Instant;

/**
 * The schedule slot a scan result belongs to, and what to do with the domain once it is stored.
 *
 * @param dueAt the domain's {@code next_scan_at} when it was claimed; one slot keeps at most one
 *     completed scan, so a re-run after a crash stores nothing twice. Null outside the scheduler.
 * @param rescanAfter when not null, the domain becomes due again this long from now
 * @param leaseOwner the instance whose lease on the domain is released, or null
 */
public record ScanSlot(Instant dueAt, Duration rescanAfter, String leaseOwner) {}
