package io.mxwatch.service;

import io.mxwatch.scan.DomainSettings;
import io.mxwatch.store.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hands due domains to scanning instances through row leases, so that several instances share one
 * database: a claim locks due rows with {@code FOR UPDATE SKIP LOCKED}, so concurrent claimers
 * never get the same row, and stamps them with the claimer and a lease end. A domain whose lease
 * has run out is due again, so the work of a crashed instance is taken over.
 */
@ApplicationScoped
public class DomainClaims {
  @Inject EntityManager entityManager;

  /**
   * A domain claimed for scanning.
   *
   * @param id database id
   * @param name A-label form
   * @param settings its DKIM selectors and next keys, and whether a user asked for fresh probes
   * @param dueAt its {@code next_scan_at} when claimed: the schedule slot the scan runs for
   */
  public record Claim(long id, String name, DomainSettings settings, java.time.Instant dueAt) {}

  /**
   * Claims up to {@code limit} due domains, the longest overdue first.
   *
   * @param owner the claiming instance's id
   * @param lease how long the claim holds
   */
  @Transactional
  public List<Claim> claim(String owner, int limit, Duration lease) {
    if (limit <= 0) {
      return List.of();
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "with due as ("
                    + " select id, fresh_probes from domains"
                    + " where next_scan_at <= now()"
                    + " and (lease_until is null or lease_until < now())"
                    + " order by next_scan_at, id"
                    + " limit :limit"
                    + " for update skip locked)"
                    + " update domains d set lease_owner = :owner,"
                    + " lease_until = now() + make_interval(secs => :seconds),"
                    + " fresh_probes = false"
                    + " from due where d.id = due.id"
                    + " returning d.id, d.name, d.dkim_selectors, d.next_keys, d.next_scan_at,"
                    + " due.fresh_probes")
            .setParameter("limit", limit)
            .setParameter("owner", owner)
            .setParameter("seconds", lease.toMillis() / 1000.0)
            .getResultList();
    List<Claim> claims = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      claims.add(
          new Claim(
              ((Number) row[0]).longValue(),
              (String) row[1],
              new DomainSettings(texts(row[2]), texts(row[3]), (Boolean) row[5]),
              SqlValues.instant(row[4])));
    }
    return claims;
  }

  /**
   * Extends the leases that {@code owner} holds on the given domains, so that a long scan is not
   * taken over while it still runs.
   *
   * @return the number of leases extended; fewer than asked when some were lost
   */
  @Transactional
  public int renew(String owner, java.util.Collection<Long> ids, Duration lease) {
    if (ids.isEmpty()) {
      return 0;
    }
    return entityManager
        .createNativeQuery(
            "update domains set lease_until = now() + make_interval(secs => :seconds)"
                + " where lease_owner = :owner and id in (:ids)")
        .setParameter("seconds", lease.toMillis() / 1000.0)
        .setParameter("owner", owner)
        .setParameter("ids", ids)
        .executeUpdate();
  }

  /** Gives up the lease of {@code owner} on one domain, which stays due, so it is scanned again. */
  @Transactional
  public int release(String owner, long id) {
    return entityManager
        .createNativeQuery(
            "update domains set lease_owner = null, lease_until = null"
                + " where lease_owner = :owner and id = :id")
        .setParameter("owner", owner)
        .setParameter("id", id)
        .executeUpdate();
  }

  /** Gives up every lease of {@code owner}, so other instances may scan those domains at once. */
  @Transactional
  public int releaseAll(String owner) {
    return entityManager
        .createNativeQuery(
            "update domains set lease_owner = null, lease_until = null"
                + " where lease_owner = :owner")
        .setParameter("owner", owner)
        .executeUpdate();
  }

  private static List<String> texts(Object column) {
    try {
      Object value = column instanceof Array array ? array.getArray() : column;
      if (value instanceof Object[] items) {
        return Arrays.stream(items).map(String::valueOf).toList();
      }
      return List.of();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read a text[] column", e);
    }
  }
}
