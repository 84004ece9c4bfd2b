package io.mxwatch.testworld;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/** A DNSSEC signing key of a test zone: one combined key (flags 257) signs every RRset. */
public final class ZoneKey {
  private final KeyPair pair;
  private final int algorithm;
  private final DNSKEYRecord dnskey;

  private ZoneKey(Name zone, int algorithm, KeyPair pair) {
    this.algorithm = algorithm;
    this.pair = pair;
    try {
      this.dnskey =
          new DNSKEYRecord(
              zone,
              DClass.IN,
              3600,
              DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
              DNSKEYRecord.Protocol.DNSSEC,
              algorithm,
              pair.getPublic());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Generates a key; algorithm is a DNSSEC algorithm number (8, 13, 15 and 5 are supported). */
  public static ZoneKey generate(Name zone, int algorithm) {
    try {
      KeyPairGenerator generator;
      switch (algorithm) {
        case DNSSEC.Algorithm.ECDSAP256SHA256 -> {
          generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec("secp256r1"));
        }
        case DNSSEC.Algorithm.ECDSAP384SHA384 -> {
          generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec("secp384r1"));
        }
        case DNSSEC.Algorithm.RSASHA256,
            DNSSEC.Algorithm.RSASHA512,
            DNSSEC.Algorithm.RSASHA1,
            DNSSEC.Algorithm.RSA_NSEC3_SHA1 -> {
          generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
        }
        case DNSSEC.Algorithm.ED25519 -> generator = KeyPairGenerator.getInstance("Ed25519");
        default -> throw new IllegalArgumentException("unsupported algorithm " + algorithm);
      }
      return new ZoneKey(zone, algorithm, generator.generateKeyPair());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate DNSSEC key", e);
    }
  }

  public DNSKEYRecord dnskey() {
    return dnskey;
  }

  public int algorithm() {
    return algorithm;
  }

  public java.security.PrivateKey privateKey() {
    return pair.getPrivate();
  }

  /** The DS record (SHA-256 digest) that the parent publishes for this key. */
  public DSRecord ds() {
    return new DSRecord(dnskey.getName(), DClass.IN, 3600, DNSSEC.Digest.SHA256, dnskey);
  }

  static KeyPairGenerator ec() throws NoSuchAlgorithmException {
    return KeyPairGenerator.getInstance("EC");
  }
}
