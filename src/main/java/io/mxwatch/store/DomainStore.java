package io.mxwatch.store;

import io.mxwatch.dns.DomainName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The registered domains. */
@ApplicationScoped
public class DomainStore {
  @Inject EntityManager entityManager;
  @Inject ScanStore scans;
  @Inject Event<DomainRemoved> removed;

  /**
   * Registers a domain, due for its first scan at once.
   *
   * @throws DuplicateDomainException when it is already registered
   */
  @Transactional
  public DomainRecord add(DomainName domain, List<String> dkimSelectors, List<String> nextKeys) {
    // ON CONFLICT keeps a concurrent duplicate from failing the transaction with an exception.
    List<?> ids =
        entityManager
            .createNativeQuery(
                "insert into domains (name, unicode_name, dkim_selectors, next_keys)"
                    + " values (:name, :unicode, :selectors, :keys)"
                    + " on conflict (name) do nothing returning id")
            .setParameter("name", domain.ascii())
            .setParameter("unicode", StoredText.clean(domain.unicode()))
            .setParameter("selectors", StoredText.clean(dkimSelectors))
            .setParameter("keys", StoredText.clean(nextKeys))
            .getResultList();
    if (ids.isEmpty()) {
      throw new DuplicateDomainException(domain.ascii());
    }
    return find(domain.ascii()).orElseThrow();
  }

  /** Deletes a domain with its whole scan history; false when it was not registered. */
  @Transactional
  public boolean remove(String asciiName) {
    boolean deleted =
        entityManager
                .createNativeQuery("delete from domains where name = :name")
                .setParameter("name", asciiName)
                .executeUpdate()
            > 0;
    if (deleted) {
      removed.fire(new DomainRemoved(asciiName));
    }
    return deleted;
  }

  @Transactional
  public Optional<DomainRecord> find(String asciiName) {
    return DomainEntity.<DomainEntity>find("name", asciiName)
        .firstResultOptional()
        .map(DomainStore::toRecord);
  }

  /** Every domain by name, with its latest completed scan and its latest attempt. */
  @Transactional
  public List<FleetEntry> fleet() {
    List<DomainEntity> domains = DomainEntity.list("order by name");
    var latest = scans.latestSummaries(true);
    var attempts = scans.latestSummaries(false);
    List<FleetEntry> entries = new ArrayList<>(domains.size());
    for (DomainEntity domain : domains) {
      entries.add(new FleetEntry(toRecord(domain), latest.get(domain.id), attempts.get(domain.id)));
    }
    return entries;
  }

  /**
   * Makes a domain due now and requests that its scan probe the MX servers again. Returns false
   * when the domain is not registered.
   */
  @Transactional
  public boolean markDue(String asciiName) {
    return entityManager
            .createNativeQuery(
                "update domains set next_scan_at = now(), fresh_probes = true where name = :name")
            .setParameter("name", asciiName)
            .executeUpdate()
        > 0;
  }

  static DomainRecord toRecord(DomainEntity entity) {
    Instant now = Instant.now();
    boolean leased = entity.leaseUntil != null && entity.leaseUntil.isAfter(now);
    return new DomainRecord(
        entity.id,
        entity.name,
        entity.unicodeName,
        List.of(entity.dkimSelectors),
        List.of(entity.nextKeys),
        entity.createdAt,
        entity.nextScanAt,
        leased);
  }
}
