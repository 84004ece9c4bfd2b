package io.mxwatch.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered domain and its place in the scan schedule. */
@Entity
@Table(name = "domains")
public class DomainEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  /** A-label form, lower case, without the trailing dot. */
  @Column(nullable = false, unique = true)
  public String name;

  @Column(name = "unicode_name", nullable = false)
  public String unicodeName;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "dkim_selectors", nullable = false)
  public String[] dkimSelectors = new String[0];

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "next_keys", nullable = false)
  public String[] nextKeys = new String[0];

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "next_scan_at", nullable = false)
  public Instant nextScanAt;

  @Column(name = "lease_owner")
  public String leaseOwner;

  @Column(name = "lease_until")
  public Instant leaseUntil;
}
