package io.mxwatch.scan;

import io.mxwatch.model.CertificateInfo;
import io.mxwatch.model.Observation;
import io.mxwatch.mx.MxTarget;
import io.mxwatch.smtp.SmtpEvidence;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Builds the per-address observations that the store keeps for trends and metrics. */
public final class Observations {
  private Observations() {}

  public static List<Observation> collect(ScanContext context) {
    List<Observation> observations = new ArrayList<>();
    for (MxTarget target : context.mx().targets()) {
      for (InetAddress address : target.addresses()) {
        SmtpEvidence smtp = context.smtp(target, address);
        DaneObservation dane =
            context.evidence(tlsaKey(target.host(), smtp.address()), () -> DaneObservation.NONE);
        List<X509Certificate> chain = smtp.chain().isEmpty() ? dane.chain() : smtp.chain();
        observations.add(
            new Observation(
                target.host(),
                smtp.address(),
                smtp.tlsProtocol(),
                describe(chain),
                dane.tlsaRecords(),
                dane.match()));
      }
    }
    return observations;
  }

  /** The evidence key of the DANE result of one address. */
  public static String tlsaKey(String host, String address) {
    return "dane-observation:" + host + "/" + address;
  }

  /**
   * DANE evidence of one address, as the DANE module found it.
   *
   * @param tlsaRecords records in presentation form
   * @param match true or false when DANE applies, null otherwise
   * @param chain the chain the address presented, also when only the TLS posture probe saw it
   */
  public record DaneObservation(
      List<String> tlsaRecords, Boolean match, List<X509Certificate> chain) {
    public static final DaneObservation NONE = new DaneObservation(List.of(), null, List.of());

    public DaneObservation {
      tlsaRecords = List.copyOf(tlsaRecords);
      chain = List.copyOf(chain);
    }
  }

  public static List<CertificateInfo> describe(List<X509Certificate> chain) {
    List<CertificateInfo> infos = new ArrayList<>();
    for (int depth = 0; depth < chain.size(); depth++) {
      X509Certificate certificate = chain.get(depth);
      infos.add(
          new CertificateInfo(
              depth,
              certificate.getSubjectX500Principal().getName(),
              certificate.getIssuerX500Principal().getName(),
              sha256Hex(encoded(certificate)),
              sha256Hex(certificate.getPublicKey().getEncoded()),
              certificate.getNotBefore().toInstant(),
              certificate.getNotAfter().toInstant(),
              Certificates.keyDescription(certificate),
              certificate.getSigAlgName()));
    }
    return infos;
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate that parsed cannot be encoded", e);
    }
  }

  public static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
