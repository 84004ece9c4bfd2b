package io.mxwatch.service;

import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DnsSettings;
import io.mxwatch.scan.DomainScanner;
import io.mxwatch.scan.ScanOptions;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetSocketAddress;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Builds the scanner at start, so that an invalid resolver list or trust anchor file stops the
 * service with its message at once instead of failing every scan later, and logs where scans will
 * send their queries and connections.
 */
@ApplicationScoped
public class StartupCheck {
  private static final Logger LOG = Logger.getLogger(StartupCheck.class);

  void onStart(
      @Observes StartupEvent event, DomainScanner scanner, DnsService dns, MxwatchConfig config) {
    // Injecting the scanner creates it and its DNS service; their constructors validate settings.
    ScanOptions options = scanner.options();
    DnsSettings settings = dns.settings();
    String resolvers =
        settings.resolvers().stream().map(StartupCheck::hostPort).collect(Collectors.joining(", "));
    LOG.infof(
        "Scanning with resolvers %s (%s), trust anchors from %s, SMTP port %d, %s",
        resolvers,
        config.dns().resolvers().isPresent() ? "mxwatch.dns.resolvers" : "/etc/resolv.conf",
        settings.trustAnchorFile() == null
            ? "the built-in IANA root keys"
            : settings.trustAnchorFile(),
        options.smtpPort(),
        options.allowPrivate()
            ? "private and special-purpose addresses allowed"
            : "private and special-purpose addresses rejected");
  }

  private static String hostPort(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
