package io.mxwatch.service;

import io.mxwatch.scan.DomainScanner;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Builds the scanner at start, so that an invalid resolver list or trust anchor file stops the
 * service with its message at once instead of failing every scan later.
 */
@ApplicationScoped
public class StartupCheck {

  void onStart(@Observes StartupEvent event, DomainScanner scanner) {
    // Injecting the scanner creates it and its DNS service; their constructors validate settings.
    scanner.options();
  }
}
