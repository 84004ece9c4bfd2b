package io.mxwatch.check.auth.dkim;

import io.mxwatch.check.auth.TxtStrings;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses DKIM key records by the tag-list grammar of RFC 6376 §3.2 and the key tags of §3.6.1.
 * Never throws: problems become errors or warnings in the result.
 */
public final class DkimKeyParser {
  private DkimKeyParser() {}

  private static final Pattern TAG =
      Pattern.compile(
          "[ \t\r\n]*([A-Za-z][A-Za-z0-9_]*)[ \t\r\n]*=[ \t\r\n]*(.*?)[ \t\r\n]*", Pattern.DOTALL);
  private static final Pattern VALUE = Pattern.compile("[\\x21-\\x3a\\x3c-\\x7e \t\r\n]*");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");

  /** Ed25519 public keys are 32 bytes (RFC 8463 §4). */
  private static final int ED25519_KEY_LENGTH = 32;

  public static DkimKey parse(String text) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, String> tags = tags(text, errors);

    String version = tags.get("v");
    if (version != null) {
      if (!version.equals("DKIM1")) {
        errors.add("v=" + version + " is invalid; it must be DKIM1 (RFC 6376 §3.6.1)");
      } else if (!tags.keySet().iterator().next().equals("v")) {
        errors.add("v=DKIM1 must be the first tag (RFC 6376 §3.6.1)");
      }
    }

    checkHashes(tags.get("h"), errors);
    checkServices(tags.get("s"), errors);
    String flags = tags.get("t");
    if (flags != null && List.of(flags.split("[ \t]*:[ \t]*")).contains("y")) {
      warnings.add(
          "t=y marks the key as testing: receivers treat its signatures like no signature");
    }

    String keyType = tags.getOrDefault("k", "rsa").toLowerCase(Locale.ROOT);
    String p = tags.get("p");
    if (p == null) {
      errors.add("the required tag p (the public key) is missing (RFC 6376 §3.6.1)");
      return new DkimKey(text, tags, keyType, 0, false, errors, warnings);
    }
    String base64 = p.replaceAll("[ \t\r\n]", "");
    if (base64.isEmpty()) {
      return new DkimKey(text, tags, keyType, 0, true, errors, warnings);
    }
    if (!BASE64.matcher(base64).matches()) {
      errors.add("p= is not valid base64");
      return new DkimKey(text, tags, keyType, 0, false, errors, warnings);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      errors.add("p= is not valid base64: " + e.getMessage());
      return new DkimKey(text, tags, keyType, 0, false, errors, warnings);
    }
    int bits =
        switch (keyType) {
          case "rsa" -> rsaBits(key, errors, warnings);
          case "ed25519" -> {
            if (key.length != ED25519_KEY_LENGTH) {
              errors.add("an Ed25519 key is 32 bytes (RFC 8463 §4), but p= holds " + key.length);
              yield 0;
            }
            yield 256;
          }
          default -> {
            errors.add("k=" + keyType + " is not a known key type (rsa or ed25519)");
            yield 0;
          }
        };
    return new DkimKey(text, tags, keyType, bits, false, errors, warnings);
  }

  private static Map<String, String> tags(String text, List<String> errors) {
    Map<String, String> tags = new LinkedHashMap<>();
    String[] pieces = text.split(";", -1);
    for (int i = 0; i < pieces.length; i++) {
      String piece = pieces[i];
      if (piece.isBlank()) {
        boolean trailing = i == pieces.length - 1 && i > 0;
        if (!trailing && !text.isBlank()) {
          errors.add("empty tag between two ';' (RFC 6376 §3.2)");
        }
        continue;
      }
      Matcher tag = TAG.matcher(piece);
      if (!tag.matches()) {
        errors.add("'" + TxtStrings.printable(piece.strip()) + "' is not a tag=value pair");
        continue;
      }
      String name = tag.group(1);
      String value = tag.group(2);
      if (!VALUE.matcher(value).matches()) {
        errors.add("tag " + name + " contains characters outside printable ASCII");
        continue;
      }
      if (tags.containsKey(name)) {
        // RFC 6376 §3.2: a duplicate tag name makes the entire tag-list invalid.
        errors.add("tag " + name + " appears more than once, which makes the record invalid");
        continue;
      }
      tags.put(name, value);
    }
    if (text.isBlank()) {
      errors.add("the record is empty");
    }
    return tags;
  }

  private static void checkHashes(String value, List<String> errors) {
    if (value == null) {
      return;
    }
    List<String> hashes = List.of(value.toLowerCase(Locale.ROOT).split("[ \t]*:[ \t]*"));
    if (!hashes.contains("sha256")) {
      // RFC 8301 §3.1: verifiers must not accept rsa-sha1, so a key limited to it is unusable.
      errors.add("h=" + value + " does not allow sha256; RFC 8301 forbids verifying with sha1");
    }
  }

  private static void checkServices(String value, List<String> errors) {
    if (value == null) {
      return;
    }
    List<String> services = List.of(value.toLowerCase(Locale.ROOT).split("[ \t]*:[ \t]*"));
    if (!services.contains("*") && !services.contains("email")) {
      errors.add("s=" + value + " does not include email or *, so the key is not for email");
    }
  }

  /**
   * Returns the modulus size of an RSA key in SubjectPublicKeyInfo form (RFC 6376 §3.6.1). A bare
   * PKCS#1 RSAPublicKey is read too, with a warning, because some verifiers accept only the former.
   */
  private static int rsaBits(byte[] key, List<String> errors, List<String> warnings) {
    try {
      RSAPublicKey rsa =
          (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key));
      return rsa.getModulus().bitLength();
    } catch (java.security.GeneralSecurityException | ClassCastException e) {
      // Fall through to PKCS#1.
    }
    try {
      org.bouncycastle.asn1.pkcs.RSAPublicKey pkcs1 =
          org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(key);
      warnings.add(
          "p= holds a bare PKCS#1 RSA key instead of SubjectPublicKeyInfo (RFC 6376 §3.6.1);"
              + " some verifiers reject it");
      return pkcs1.getModulus().bitLength();
    } catch (RuntimeException e) {
      errors.add("p= does not hold an RSA public key");
      return 0;
    }
  }
}
