package io.mxwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mxwatch.check.CheckModules;
import io.mxwatch.dns.DnsService;
import io.mxwatch.dns.DnsSettings;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.ScanResultJson;
import io.mxwatch.model.Status;
import io.mxwatch.net.HostPort;
import io.mxwatch.scan.DomainScanner;
import io.mxwatch.scan.DomainSettings;
import io.mxwatch.scan.RetryPolicy;
import io.mxwatch.scan.ScanOptions;
import io.mxwatch.smtp.PoliteSmtpProber;
import io.mxwatch.smtp.ProbePolicy;
import io.mxwatch.smtp.StartTlsProber;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.xbill.DNS.ResolverConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mxwatch scan}: scans domains once and prints their scorecards, without a database. */
@Command(
    name = "mxwatch scan",
    versionProvider = ScanCommand.Version.class,
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Scans mail domains once and prints a scorecard per domain.",
      "Exit status: 0 when every check is conclusive and none fails, 1 when a check fails,"
          + " 2 on bad usage, 3 when none fails but some ended in error (could not tell)."
    })
public final class ScanCommand implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED_CHECK = 1;
  static final int EXIT_USAGE = 2;

  /** No check failed, but some could not tell (DNS timeouts, unreachable servers). */
  static final int EXIT_INCONCLUSIVE = 3;

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "DOMAIN",
      description = "Domains to scan (Unicode or A-labels).")
  List<String> domains = new ArrayList<>();

  @Option(
      names = "--resolver",
      paramLabel = "ADDRESS[:PORT]",
      description =
          "Recursive resolver to query (repeatable; IPv6 as [addr]:port). Default: the"
              + " nameservers of /etc/resolv.conf.")
  List<String> resolvers = new ArrayList<>();

  @Option(
      names = "--trust-anchor",
      paramLabel = "FILE",
      description =
          "DNSSEC trust anchors: DS or DNSKEY records in zone-file form. Default: the IANA root anchors.")
  Path trustAnchor;

  @Option(
      names = "--allow-private",
      description = "Also connect to loopback, private and other special-purpose addresses.")
  boolean allowPrivate;

  @Option(
      names = "--smtp-port",
      paramLabel = "N",
      defaultValue = "25",
      description = "TCP port of the MX servers (default: ${DEFAULT-VALUE}).")
  int smtpPort;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Timeout of each DNS query and each SMTP step, e.g. 10s, 500ms, PT1M (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--dkim-selector",
      paramLabel = "NAME",
      description = "DKIM selector to check (repeatable).")
  List<String> dkimSelectors = new ArrayList<>();

  @Option(
      names = "--helo",
      paramLabel = "NAME",
      defaultValue = "localhost",
      description = "Name to send in EHLO (default: ${DEFAULT-VALUE}).")
  String helo;

  @Option(
      names = "--retries",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Further attempts for checks that end in a transient error such as a DNS timeout or an"
              + " SMTP 421, after 2 s, 4 s, ... (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(
      names = "--pause",
      paramLabel = "DURATION",
      defaultValue = "100ms",
      converter = DurationConverter.class,
      description =
          "Pause between two connections to the same MX address; the TLS probes open dozens"
              + " (default: ${DEFAULT-VALUE}).")
  Duration pause;

  @Option(names = "--json", description = "Print one JSON object per domain per line.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    List<DomainName> names = new ArrayList<>();
    boolean badName = false;
    for (String domain : domains) {
      try {
        DomainName name = DomainName.parse(domain);
        if (names.stream().noneMatch(n -> n.ascii().equals(name.ascii()))) {
          names.add(name);
        }
      } catch (DomainName.InvalidDomainException e) {
        err.println("mxwatch: " + e.getMessage());
        badName = true;
      }
    }
    if (retries < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--retries must not be negative");
    }
    List<String> selectors = new ArrayList<>();
    for (String selector : dkimSelectors) {
      try {
        selectors.add(DomainSettings.dkimSelector(selector));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--dkim-selector: " + e.getMessage());
      }
    }
    dkimSelectors = selectors;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive");
    }
    if (trustAnchor != null && !Files.exists(trustAnchor)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "trust anchor file " + trustAnchor + " does not exist");
    }
    if (trustAnchor != null && !Files.isReadable(trustAnchor)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "trust anchor file " + trustAnchor + " is not readable");
    }

    DnsSettings dnsSettings =
        new DnsSettings(
            resolverAddresses(),
            timeout,
            1,
            timeout.multipliedBy(12),
            trustAnchor,
            Clock.systemUTC());
    if (pause.isNegative()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--pause must not be negative");
    }
    // One retry of an SMTP 4xx reply after 10 s: a one-off scan should not wait minutes.
    ProbePolicy politeness =
        ProbePolicy.defaults()
            .withPauseBetweenConnections(pause)
            .withRetries(1, Duration.ofSeconds(10));
    ScanOptions options =
        ScanOptions.defaults()
            .withAllowPrivate(allowPrivate)
            .withSmtpPort(smtpPort)
            .withSmtpTimeout(timeout)
            .withProbePolicy(politeness);
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    boolean failed = false;
    boolean inconclusive = false;
    try (DnsService dns = new DnsService(dnsSettings);
        DomainScanner scanner =
            new DomainScanner(
                dns,
                options,
                PoliteSmtpProber.wrap(new StartTlsProber(options.smtpTimeout(), helo), politeness),
                Clock.systemUTC(),
                CheckModules.all(),
                new RetryPolicy(retries, Duration.ofSeconds(2)))) {
      DomainSettings settings = new DomainSettings(dkimSelectors, List.of());
      for (DomainName name : names) {
        // Progress on standard error keeps standard output clean for the scorecard or JSON.
        err.println("scanning " + name + " ...");
        err.flush();
        ScanResult result = scanner.scan(name, settings);
        failed |= result.hasFailure();
        inconclusive |= result.findings().stream().anyMatch(f -> f.status() == Status.ERROR);
        if (json) {
          out.println(mapper.writeValueAsString(ScanResultJson.toJson(result)));
        } else {
          out.print(Scorecard.render(result));
        }
        out.flush();
      }
    }
    if (badName) {
      return EXIT_USAGE;
    }
    if (failed) {
      return EXIT_FAILED_CHECK;
    }
    return inconclusive ? EXIT_INCONCLUSIVE : EXIT_OK;
  }

  private List<InetSocketAddress> resolverAddresses() {
    if (resolvers.isEmpty()) {
      List<InetSocketAddress> system = ResolverConfig.getCurrentConfig().servers();
      if (system.isEmpty()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no resolver in /etc/resolv.conf; name one with --resolver");
      }
      return system;
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String resolver : resolvers) {
      try {
        addresses.add(HostPort.parse(resolver, 53));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "invalid --resolver '" + resolver + "': " + e.getMessage());
      }
    }
    return addresses;
  }

  /** Runs the command on standard output and error and returns its exit status. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command with the given output streams and returns its exit status. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    // dnsjava logs every bogus signature at WARN; the scorecard already reports them.
    java.util.logging.Logger.getLogger("org.xbill.DNS").setLevel(java.util.logging.Level.SEVERE);
    CommandLine commandLine = new CommandLine(new ScanCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (e, cl, parsed) -> {
          cl.getErr().println("mxwatch: " + e.getMessage());
          return e instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILED_CHECK;
        });
    // A bad option gets its message and a pointer to --help, not the whole usage text.
    commandLine.setParameterExceptionHandler(
        (e, params) -> {
          CommandLine cl = e.getCommandLine();
          cl.getErr().println("mxwatch: " + e.getMessage());
          // picocli reads "-foo.example" as an unknown option and then misses the domain.
          java.util.Arrays.stream(params)
              .filter(arg -> arg.startsWith("-") && !arg.startsWith("--") && arg.contains("."))
              .findFirst()
              .ifPresent(
                  arg ->
                      cl.getErr()
                          .println(
                              "mxwatch: '"
                                  + arg
                                  + "' is read as an option; a domain name cannot start with a"
                                  + " hyphen"));
          cl.getErr().println("Try 'mxwatch scan --help' for the options.");
          return EXIT_USAGE;
        });
    return commandLine.execute(args);
  }

  /** Prints the version from the jar's manifest, or "development build" outside a jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ScanCommand.class.getPackage().getImplementationVersion();
      return new String[] {"mxwatch " + (version == null ? "(development build)" : version)};
    }
  }

  /** Parses {@code 10s}, {@code 500ms}, {@code 2m} and ISO-8601 durations. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value.strip().toLowerCase(java.util.Locale.ROOT);
      try {
        if (text.startsWith("p")) {
          return Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
        }
        if (text.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
          return Duration.ofMillis(
              Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
        }
        if (text.endsWith("m")) {
          return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(text));
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "invalid duration '" + value + "' (use e.g. 10s, 500ms, 2m or PT10S)");
      }
    }
  }
}
