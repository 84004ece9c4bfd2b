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
import java.time.Instant;

/** One certificate of the chain an MX address presented. */
@Entity
@Table(name = "certificates")
public class CertificateEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "certificates_id")
  @SequenceGenerator(
      name = "certificates_id",
      sequenceName = "certificates_id_seq",
      allocationSize = 50)
  public Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "observation_id")
  public ObservationEntity observation;

  @Column(nullable = false)
  public int depth;

  @Column(nullable = false)
  public String sha256;

  @Column(name = "spki_sha256", nullable = false)
  public String spkiSha256;

  @Column(nullable = false)
  public String subject;

  @Column(nullable = false)
  public String issuer;

  @Column(name = "not_before", nullable = false)
  public Instant notBefore;

  @Column(name = "not_after", nullable = false)
  public Instant notAfter;

  @Column(name = "key_algorithm")
  public String keyAlgorithm;

  @Column(name = "signature_algorithm")
  public String signatureAlgorithm;
}
