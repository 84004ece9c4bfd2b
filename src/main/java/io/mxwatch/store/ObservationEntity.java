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
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** What one scan saw on one MX address. */
@Entity
@Table(name = "observations")
public class ObservationEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "observations_id")
  @SequenceGenerator(
      name = "observations_id",
      sequenceName = "observations_id_seq",
      allocationSize = 50)
  public Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "scan_id")
  public ScanEntity scan;

  @Column(nullable = false)
  public String host;

  @Column(nullable = false)
  public String ip;

  @Column(name = "tls_protocol")
  public String tlsProtocol;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "tlsa_records", nullable = false)
  public String[] tlsaRecords = new String[0];

  @Column(name = "tlsa_match")
  public Boolean tlsaMatch;

  @OneToMany(mappedBy = "observation", cascade = CascadeType.PERSIST)
  @OrderBy("depth")
  public List<CertificateEntity> certificates = new ArrayList<>();
}
