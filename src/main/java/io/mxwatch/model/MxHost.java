package io.mxwatch.model;

import java.util.List;

/**
 * An MX target as the scan resolved it.
 *
 * @param name host name in A-label form, without the trailing dot
 * @param preference MX preference
 * @param addresses IPv4 and IPv6 addresses in text form
 */
public record MxHost(String name, int preference, List<String> addresses) {
  public MxHost {
    addresses = List.copyOf(addresses);
  }
}
