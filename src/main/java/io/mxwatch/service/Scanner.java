package io.mxwatch.service;

import io.mxwatch.dns.DomainName;
import io.mxwatch.model.ScanResult;
import io.mxwatch.scan.DomainSettings;

/** Scans one domain; in production {@link io.mxwatch.scan.DomainScanner#scan}. */
@FunctionalInterface
public interface Scanner {
  ScanResult scan(DomainName domain, DomainSettings settings);
}
