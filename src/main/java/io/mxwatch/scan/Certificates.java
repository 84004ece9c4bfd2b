package io.mxwatch.scan;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/** Small descriptions of certificate keys for display and details. */
public final class Certificates {
  private Certificates() {}

  /** {@code RSA 2048}, {@code EC secp256r1}, {@code Ed25519} and so on. */
  public static String keyDescription(X509Certificate certificate) {
    PublicKey key = certificate.getPublicKey();
    if (key instanceof RSAPublicKey rsa) {
      return "RSA " + rsa.getModulus().bitLength();
    }
    if (key instanceof ECPublicKey) {
      return "EC " + curveName(key);
    }
    return key.getAlgorithm();
  }

  /** The named curve of an EC key, such as {@code secp256r1}, or {@code unknown}. */
  public static String curveName(PublicKey key) {
    try {
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
      var parameters = info.getAlgorithm().getParameters();
      if (parameters instanceof ASN1ObjectIdentifier oid) {
        String name = ECNamedCurveTable.getName(oid);
        return name == null ? oid.getId() : name;
      }
      return "explicit parameters";
    } catch (RuntimeException e) {
      return "unknown";
    }
  }
}
