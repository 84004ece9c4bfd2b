package io.mxwatch.scan;

import java.util.List;

/**
 * Per-domain settings that a user registered besides the name.
 *
 * @param dkimSelectors DKIM selectors to fetch and grade
 * @param nextKeys SPKI SHA-256 hashes (hex) of keys the MX servers will move to, for DANE advice
 */
public record DomainSettings(List<String> dkimSelectors, List<String> nextKeys) {
  public DomainSettings {
    dkimSelectors = List.copyOf(dkimSelectors);
    nextKeys = List.copyOf(nextKeys);
  }

  public static DomainSettings none() {
    return new DomainSettings(List.of(), List.of());
  }
}
