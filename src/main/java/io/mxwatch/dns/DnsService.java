package io.mxwatch.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Creates one {@link DnsSession} per scan. Each session validates with a fresh {@link
 * ValidatingResolver} so that its key cache, query count and budget belong to that scan alone.
 */
public final class DnsService implements AutoCloseable {
  private static final String ROOT_ANCHORS = "root-anchors.ds";

  /**
   * dnsjava notices query timeouts only when its NIO selector wakes up, by default once a second,
   * so a 200 ms timeout would last up to 1.2 s. The system property must be set before dnsjava's
   * first query in this JVM to take effect; when it is not, each attempt can overrun by up to
   * {@link #MAX_TIMEOUT_OVERRUN}, which the resolver's overall timeout allows for.
   */
  private static final String SELECTOR_TIMEOUT_PROPERTY = "dnsjava.nio.selector_timeout";

  private static final String SELECTOR_TIMEOUT_MILLIS = "100";

  /** dnsjava's default selector wake-up interval, the most a timeout can overrun. */
  static final Duration MAX_TIMEOUT_OVERRUN = Duration.ofSeconds(1);

  static {
    if (System.getProperty(SELECTOR_TIMEOUT_PROPERTY) == null) {
      System.setProperty(SELECTOR_TIMEOUT_PROPERTY, SELECTOR_TIMEOUT_MILLIS);
    }
  }

  private final DnsSettings settings;
  private final byte[] trustAnchors;
  private final ExecutorService executor;

  public DnsService(DnsSettings settings) {
    this.settings = settings;
    this.trustAnchors = readTrustAnchors(settings);
    // Virtual threads: validation chains block on nothing but network completions.
    this.executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dns-", 0).factory());
  }

  public DnsSettings settings() {
    return settings;
  }

  /** Starts the DNS session of one scan. */
  public DnsSession newSession() {
    CountingResolver head = new CountingResolver(newHeadResolver());
    ValidatingResolver validator = new ValidatingResolver(head, settings.clock());
    try {
      validator.loadTrustAnchors(new ByteArrayInputStream(trustAnchors));
    } catch (IOException e) {
      throw new UncheckedIOException("trust anchors became unreadable", e);
    }
    validator.setEDNS(0, DnsSettings.EDNS_BUFFER_SIZE, 0, List.of());
    return new DnsSession(validator, head, settings, executor);
  }

  private Resolver newHeadResolver() {
    List<Resolver> resolvers = new ArrayList<>();
    for (var address : settings.resolvers()) {
      SimpleResolver resolver = new SimpleResolver(address);
      resolver.setTimeout(settings.queryTimeout());
      resolvers.add(resolver);
    }
    ExtendedResolver extended = new ExtendedResolver(resolvers);
    extended.setRetries(settings.retries() + 1);
    extended.setLoadBalance(false);
    // The extended resolver stops moving on to the next resolver once this has passed, even when
    // some were never tried, so it must outlast every attempt including its timeout overrun.
    extended.setTimeout(attemptTime(settings).multipliedBy(attempts(settings)));
    return extended;
  }

  /** Query attempts per question: every resolver, each with its retries. */
  static long attempts(DnsSettings settings) {
    return (long) settings.resolvers().size() * (settings.retries() + 1);
  }

  /** The maximum time one attempt takes before dnsjava reports its timeout. */
  static Duration attemptTime(DnsSettings settings) {
    return settings.queryTimeout().plus(MAX_TIMEOUT_OVERRUN);
  }

  /**
   * Reads and checks the trust anchor file: it must hold at least one DS or DNSKEY record, or every
   * answer would be silently indeterminate.
   */
  static byte[] readTrustAnchors(DnsSettings settings) {
    byte[] data;
    String source;
    try {
      if (settings.trustAnchorFile() == null) {
        source = "built-in IANA root anchors";
        try (InputStream in = DnsService.class.getResourceAsStream(ROOT_ANCHORS)) {
          data = in.readAllBytes();
        }
      } else {
        source = settings.trustAnchorFile().toString();
        data = Files.readAllBytes(settings.trustAnchorFile());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read trust anchor file " + settings.trustAnchorFile() + ": " + e.getMessage(), e);
    }
    int anchors = 0;
    try (Master master = new Master(new ByteArrayInputStream(data), Name.root, 0)) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        if (record.getType() == Type.DS || record.getType() == Type.DNSKEY) {
          anchors++;
        }
      }
    } catch (IOException e) {
      // dnsjava names the input "<none>" when it has no file name: "<none>:2: expected a string".
      String reason = String.valueOf(e.getMessage()).replaceFirst("^<none>:(\\d+): ", "line $1: ");
      throw new IllegalArgumentException(
          "invalid trust anchor file "
              + source
              + ": "
              + reason
              + "; it must hold DS or DNSKEY records in zone-file form,"
              + " such as '. IN DS 20326 8 2 <hex digest>'",
          e);
    }
    if (anchors == 0) {
      throw new IllegalArgumentException(
          "trust anchor file " + source + " holds no DS or DNSKEY record");
    }
    return data;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
