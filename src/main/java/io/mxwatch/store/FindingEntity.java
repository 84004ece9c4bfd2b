package io.mxwatch.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One finding of one scan. */
@Entity
@Table(name = "findings")
public class FindingEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "findings_id")
  @SequenceGenerator(name = "findings_id", sequenceName = "findings_id_seq", allocationSize = 50)
  public Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "scan_id")
  public ScanEntity scan;

  @Column(nullable = false)
  public int position;

  @Column(name = "check_id", nullable = false)
  public String checkId;

  /** The status in its wire form, such as {@code not_applicable}. */
  @Column(nullable = false)
  public String status;

  @Column(nullable = false)
  public String target;

  @Column(nullable = false)
  public String summary;

  /** Structured evidence as a JSON object. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public String details = "{}";

  public String advice;
}
