package io.mxwatch.check.auth.dkim;

import java.util.List;
import java.util.Map;

/**
 * A DKIM key record (RFC 6376 §3.6.1) with its key decoded.
 *
 * @param text the record as published
 * @param tags the tags in order, names as written (they are case-sensitive)
 * @param keyType {@code k}, lowercase; "rsa" when absent
 * @param keyBits the key size in bits (256 for Ed25519), or 0 when there is no usable key
 * @param revoked true when {@code p=} is empty
 * @param errors why the record or key is unusable; empty when usable
 * @param warnings weaknesses that still let receivers verify
 */
public record DkimKey(
    String text,
    Map<String, String> tags,
    String keyType,
    int keyBits,
    boolean revoked,
    List<String> errors,
    List<String> warnings) {
  public DkimKey {
    tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public boolean usable() {
    return errors.isEmpty() && !revoked;
  }
}
