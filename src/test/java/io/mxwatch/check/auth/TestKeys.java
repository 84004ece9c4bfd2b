package io.mxwatch.check.auth;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** DKIM key records made at test time. */
public final class TestKeys {
  private TestKeys() {}

  /** A DKIM record with a fresh RSA key of {@code bits} in SubjectPublicKeyInfo form. */
  public static String rsaRecord(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      byte[] spki = generator.generateKeyPair().getPublic().getEncoded();
      return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
