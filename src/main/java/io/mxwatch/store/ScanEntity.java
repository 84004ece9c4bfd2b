package io.mxwatch.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One scan of one domain: a completed result, or a failure of mxwatch itself. */
@Entity
@Table(name = "scans")
public class ScanEntity extends PanacheEntityBase {
  static final String COMPLETED = "completed";
  static final String FAILED = "failed";

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "scans_id")
  @SequenceGenerator(name = "scans_id", sequenceName = "scans_id_seq", allocationSize = 50)
  public Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "domain_id")
  public DomainEntity domain;

  /** The schedule slot the scan ran for; null for scans stored outside the scheduler. */
  @Column(name = "due_at")
  public Instant dueAt;

  @Column(name = "started_at", nullable = false)
  public Instant startedAt;

  @Column(name = "finished_at", nullable = false)
  public Instant finishedAt;

  @Column(name = "duration_ms", nullable = false)
  public long durationMs;

  @Column(nullable = false)
  public String status;

  public String error;

  public Integer score;

  /** Percentage per category key, as a JSON object. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "category_scores", nullable = false)
  public String categoryScores = "{}";

  @Column(name = "worst_status")
  public String worstStatus;

  /** The MX targets as a JSON array of {@code MxHost}. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "mx_hosts", nullable = false)
  public String mxHosts = "[]";

  @Column(name = "dns_queries", nullable = false)
  public int dnsQueries;

  @Column(name = "dns_ms", nullable = false)
  public long dnsMs;

  @Column(name = "smtp_connections", nullable = false)
  public int smtpConnections;

  /** Further attempts within the scan after transient failures. */
  @Column(name = "retries", nullable = false)
  public int retries;

  @OneToMany(mappedBy = "scan", cascade = CascadeType.PERSIST)
  @OrderBy("position")
  public List<FindingEntity> findings = new ArrayList<>();

  @OneToMany(mappedBy = "scan", cascade = CascadeType.PERSIST)
  @OrderBy("id")
  public List<ObservationEntity> observations = new ArrayList<>();
}
