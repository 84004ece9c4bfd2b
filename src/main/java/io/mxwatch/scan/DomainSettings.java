package io.mxwatch.scan;

import java.util.List;

/**
 * Per-domain settings that a user registered besides the name, and how this scan of it runs.
 *
 * @param dkimSelectors DKIM selectors to fetch and grade
 * @param nextKeys SPKI SHA-256 hashes (hex) of keys the MX servers will move to, for DANE advice
 * @param freshProbes probe every MX address again instead of reusing a result from the scan window,
 *     as a user who asked for a scan now after changing a server expects
 */
public record DomainSettings(
    List<String> dkimSelectors, List<String> nextKeys, boolean freshProbes) {
  public DomainSettings {
    dkimSelectors = List.copyOf(dkimSelectors);
    nextKeys = List.copyOf(nextKeys);
  }

  public DomainSettings(List<String> dkimSelectors, List<String> nextKeys) {
    this(dkimSelectors, nextKeys, false);
  }

  public static DomainSettings none() {
    return new DomainSettings(List.of(), List.of());
  }

  public DomainSettings withFreshProbes(boolean fresh) {
    return new DomainSettings(dkimSelectors, nextKeys, fresh);
  }
}
