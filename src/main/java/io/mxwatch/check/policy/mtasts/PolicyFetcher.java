package io.mxwatch.check.policy.mtasts;

import io.mxwatch.dns.Dns;
import io.mxwatch.net.AddressPolicy;

/** Fetches the MTA-STS policy of a domain from {@code https://mta-sts.<domain>/.well-known/}. */
public interface PolicyFetcher {

  /** Fetches the policy of {@code policyDomain} (A-labels); never throws for remote faults. */
  FetchResult fetch(String policyDomain, Dns dns, AddressPolicy addressPolicy);
}
