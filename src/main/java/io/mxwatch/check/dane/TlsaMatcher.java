package io.mxwatch.check.dane;

import io.mxwatch.check.Findings;
import io.mxwatch.scan.Observations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.xbill.DNS.TLSARecord;

/**
 * Matches TLSA records against the certificate chain a server actually presented (RFC 6698, RFC
 * 7671, RFC 7672). Only DANE-TA(2) and DANE-EE(3) are usable for SMTP; PKIX-TA(0) and PKIX-EE(1)
 * are not (RFC 7672 §3.1.3).
 */
public final class TlsaMatcher {
  private TlsaMatcher() {}

  /**
   * One TLSA record and what became of it.
   *
   * @param record the record in presentation form, e.g. {@code 3 1 1 ab12...}
   * @param problem why the record is unusable or malformed, or null when it is usable
   * @param matchedDepth position in the presented chain of the certificate it matched, leaf = 0, or
   *     -1. A DANE-TA record that carries the whole trust anchor, which the server left out, counts
   *     one above the certificate the anchor signed, which may be past the end of the chain.
   */
  public record Assessment(String record, String problem, int matchedDepth) {
    public boolean usable() {
      return problem == null;
    }

    public boolean matched() {
      return matchedDepth >= 0;
    }
  }

  /**
   * The result of matching an RRset.
   *
   * @param assessments one per record, in RRset order
   * @param matched true when at least one usable record matched
   */
  public record Result(List<Assessment> assessments, boolean matched) {
    public Result {
      assessments = List.copyOf(assessments);
    }

    public long usableCount() {
      return assessments.stream().filter(Assessment::usable).count();
    }
  }

  /**
   * Matches every record against the chain.
   *
   * @param records the TLSA RRset
   * @param chain the certificates as the server sent them, leaf first
   * @param referenceNames names the leaf must carry for DANE-TA: the MX host name and, when it
   *     differs, the TLSA base domain (RFC 7672 §3.2.2). DANE-EE ignores names and dates.
   */
  public static Result match(
      List<TLSARecord> records, List<X509Certificate> chain, Collection<String> referenceNames) {
    List<Assessment> assessments = new ArrayList<>();
    boolean any = false;
    for (TLSARecord record : records) {
      String text = record.rdataToString();
      String problem = problem(record);
      int depth = -1;
      if (problem == null && !chain.isEmpty()) {
        depth = matchDepth(record, chain, referenceNames);
      }
      any |= depth >= 0;
      assessments.add(new Assessment(text, problem, depth));
    }
    return new Result(assessments, any);
  }

  /** Why a record can never match for SMTP, or null when it is usable. */
  public static String problem(TLSARecord record) {
    int usage = record.getCertificateUsage();
    int selector = record.getSelector();
    int type = record.getMatchingType();
    byte[] data = record.getCertificateAssociationData();
    if (usage == 0 || usage == 1) {
      return "usage "
          + usage
          + (usage == 0 ? " (PKIX-TA)" : " (PKIX-EE)")
          + " is not usable for SMTP (RFC 7672 §3.1.3)";
    }
    if (usage > 3) {
      return "unknown certificate usage " + usage;
    }
    if (selector > 1) {
      return "unknown selector " + selector;
    }
    if (type > 2) {
      return "unknown matching type " + type;
    }
    if (data.length == 0) {
      return "empty certificate association data";
    }
    if (type == 1 && data.length != 32) {
      return "malformed: SHA-256 data is " + Findings.count(data.length, "byte") + " instead of 32";
    }
    if (type == 2 && data.length != 64) {
      return "malformed: SHA-512 data is " + Findings.count(data.length, "byte") + " instead of 64";
    }
    return null;
  }

  private static int matchDepth(
      TLSARecord record, List<X509Certificate> chain, Collection<String> referenceNames) {
    if (record.getCertificateUsage() == 3) {
      // DANE-EE: the leaf alone, regardless of its names and dates (RFC 7672 §3.1.1).
      return matches(record, chain.get(0)) ? 0 : -1;
    }
    if (!namesMatch(chain.get(0), referenceNames)) {
      return -1;
    }
    // DANE-TA: a CA certificate the server sent, that the leaf chains up to (RFC 7671 §5.2.2).
    for (int depth = 1; depth < chain.size(); depth++) {
      if (matches(record, chain.get(depth)) && chainsUpTo(chain, depth)) {
        return depth;
      }
    }
    // RFC 7671 §5.2.2: a record that contains the whole trust anchor certificate or public key
    // (matching type 0) lets the server leave the anchor out of its chain. The anchor's key must
    // then have signed a certificate the server sent, and Postfix 3.7 with OpenSSL 3 accepts such a
    // chain too. A digest identifies the anchor but gives no key to check a signature with.
    Optional<PublicKey> anchor =
        record.getMatchingType() == 0 ? anchorKey(record) : Optional.empty();
    for (int depth = 0; anchor.isPresent() && depth < chain.size(); depth++) {
      if (signedBy(chain.get(depth), anchor.get()) && chainsUpTo(chain, depth)) {
        return depth + 1;
      }
    }
    return -1;
  }

  /** Parses the public key out of a full DANE-TA record; empty when the data does not parse. */
  static Optional<PublicKey> anchorKey(TLSARecord record) {
    byte[] data = record.getCertificateAssociationData();
    try {
      if (record.getSelector() == 0) {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        return Optional.of(
            factory.generateCertificate(new ByteArrayInputStream(data)).getPublicKey());
      }
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(data);
      return Optional.of(new JcaPEMKeyConverter().getPublicKey(info));
    } catch (CertificateException
        | IOException
        | IllegalArgumentException
        | IllegalStateException e) {
      // Malformed data matches nothing, like any record whose data fits no certificate.
      return Optional.empty();
    }
  }

  private static boolean signedBy(X509Certificate certificate, PublicKey key) {
    try {
      certificate.verify(key);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** True when the certificate's selected data hashes to the record's data. */
  public static boolean matches(TLSARecord record, X509Certificate certificate) {
    byte[] selected = selectedData(certificate, record.getSelector());
    byte[] expected = record.getCertificateAssociationData();
    return Arrays.equals(digest(selected, record.getMatchingType()), expected);
  }

  static byte[] selectedData(X509Certificate certificate, int selector) {
    if (selector == 1) {
      return certificate.getPublicKey().getEncoded();
    }
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate that parsed cannot be encoded", e);
    }
  }

  static byte[] digest(byte[] data, int matchingType) {
    try {
      return switch (matchingType) {
        case 0 -> data;
        case 1 -> MessageDigest.getInstance("SHA-256").digest(data);
        case 2 -> MessageDigest.getInstance("SHA-512").digest(data);
        default -> new byte[0];
      };
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-2 is required of every JDK", e);
    }
  }

  /** True when each certificate below {@code depth} is signed by the next one in the chain. */
  static boolean chainsUpTo(List<X509Certificate> chain, int depth) {
    for (int i = 0; i < depth; i++) {
      try {
        chain.get(i).verify(chain.get(i + 1).getPublicKey());
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
    return true;
  }

  /** RFC 6125 matching of DNS names in the subjectAltName, one leftmost wildcard label allowed. */
  static boolean namesMatch(X509Certificate leaf, Collection<String> referenceNames) {
    List<String> names = new ArrayList<>();
    try {
      var alternatives = leaf.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          if (entry.size() == 2 && Integer.valueOf(2).equals(entry.get(0))) {
            names.add(String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return false;
    }
    for (String reference : referenceNames) {
      String host = reference.toLowerCase(Locale.ROOT);
      for (String name : names) {
        if (name.equals(host)) {
          return true;
        }
        if (name.startsWith("*.")) {
          int dot = host.indexOf('.');
          if (dot > 0 && host.substring(dot).equals(name.substring(1))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The DANE-EE SPKI SHA-256 record for a certificate: {@code 3 1 1 <hex>}. */
  public static String eeRecord(X509Certificate leaf) {
    return "3 1 1 " + Observations.sha256Hex(leaf.getPublicKey().getEncoded());
  }
}
