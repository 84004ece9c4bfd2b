package io.mxwatch.realpeer.dns;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Debian's DNS software on loopback: Knot serves a private hierarchy signed by ldns-signzone on
 * {@code 127.0.0.153} and {@code ::1}, and Unbound on {@code 127.0.0.154} resolves it with the
 * private root as its only trust anchor. Every daemon gets its own configuration and run directory
 * under {@code work}, listens on a free unprivileged port, and is stopped by its process id. Stub
 * zones send every query to Knot, and no root hints are configured, so Unbound never queries an
 * address outside loopback. Unbound logs every query it receives to {@link #resolverLog()}.
 *
 * <p>Other suites may add leaf zones below {@code test.} and have Unbound also listen on port 53 of
 * a loopback address of their own, for programs that read the resolver from resolv.conf, which
 * cannot name a port.
 */
public final class DnsPeers implements AutoCloseable {
  static final String AUTHORITATIVE_ADDRESS = "127.0.0.153";
  static final String RESOLVER_ADDRESS = "127.0.0.154";
  static final List<String> TOOLS =
      List.of(
          "knotd",
          "unbound",
          "unbound-host",
          "unbound-checkconf",
          "ldns-keygen",
          "ldns-signzone",
          "ldns-key2ds",
          "drill");
  static final String INSTALL_HINT =
      "run src/test/resources/realpeer/install-dns-peers.sh (Debian packages knot, unbound,"
          + " unbound-host and ldnsutils)";

  final Path work;
  final int authoritativePort;
  final int resolverPort;
  final Path trustAnchor;
  final Path judgeConfig;
  private final List<LeafZone> extraZones;
  private final Optional<String> port53Address;
  private final List<Process> daemons = new ArrayList<>();

  /**
   * A leaf zone below {@code test.} that a suite adds to the hierarchy.
   *
   * @param name the zone without the trailing dot, such as {@code dane-ee.test}
   * @param signed true to sign the zone and publish its DS in {@code test.}; false to delegate it
   *     without a DS, so that validators treat it as insecure
   * @param records zone-file lines below the SOA, NS and name server address that the zone gets
   */
  public record LeafZone(String name, boolean signed, List<String> records) {
    public LeafZone {
      records = List.copyOf(records);
    }
  }

  private DnsPeers(Path work, List<LeafZone> extraZones, Optional<String> port53Address)
      throws IOException {
    this.work = work;
    this.extraZones = List.copyOf(extraZones);
    this.port53Address = port53Address;
    this.authoritativePort = freePort(AUTHORITATIVE_ADDRESS, "::1");
    this.resolverPort = freePort(RESOLVER_ADDRESS);
    this.trustAnchor = work.resolve("root.ds");
    this.judgeConfig = work.resolve("unbound/judge.conf");
  }

  /**
   * Skips the calling tests when a tool is missing, or fails them when the environment variable
   * {@code MXWATCH_REQUIRE_PEERS=1} says the peers must be there (as in CI).
   */
  public static void requireTools() {
    List<String> missing = TOOLS.stream().filter(tool -> find(tool).isEmpty()).toList();
    if (missing.isEmpty()) {
      return;
    }
    String message = "DNS peer tools not found: " + missing + "; " + INSTALL_HINT;
    if ("1".equals(System.getenv("MXWATCH_REQUIRE_PEERS"))) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }

  /** Builds the signed zones and starts Knot and Unbound. */
  static DnsPeers start(Path work) throws Exception {
    return start(work, List.of(), Optional.empty());
  }

  /**
   * Builds the signed zones with {@code extraZones} among them and starts Knot and Unbound.
   *
   * @param port53Address a loopback address where Unbound also listens on port 53
   */
  public static DnsPeers start(Path work, List<LeafZone> extraZones, Optional<String> port53Address)
      throws Exception {
    DnsPeers peers = new DnsPeers(work, extraZones, port53Address);
    try {
      peers.buildZones();
      peers.startKnot();
      peers.startUnbound();
      peers.writeJudgeConfig();
      return peers;
    } catch (Exception | AssertionError e) {
      peers.close();
      throw e;
    }
  }

  public InetSocketAddress resolver() {
    return new InetSocketAddress(RESOLVER_ADDRESS, resolverPort);
  }

  /** Unbound's listener on port 53, when the suite asked for one. */
  public Optional<InetSocketAddress> port53Resolver() {
    return port53Address.map(address -> new InetSocketAddress(address, 53));
  }

  /** The file with the DS record of the private root, the trust anchor of every validator. */
  public Path trustAnchor() {
    return trustAnchor;
  }

  public int authoritativePort() {
    return authoritativePort;
  }

  /** Unbound's log: one line per query received, such as {@code info: 127.0.0.1 a.test. MX IN}. */
  public Path resolverLog() {
    return work.resolve("unbound/unbound.log");
  }

  List<String> zones() throws IOException {
    return Files.readAllLines(work.resolve("zones.list")).stream()
        .filter(line -> !line.isBlank())
        .toList();
  }

  private void buildZones() throws Exception {
    Path script = work.resolve("make-dns-zones.sh");
    try (InputStream in = DnsPeers.class.getResourceAsStream("/realpeer/make-dns-zones.sh")) {
      Files.copy(in, script);
    }
    Path extra = Files.createDirectories(work.resolve("extra-zones"));
    for (LeafZone zone : extraZones) {
      String suffix = zone.signed() ? ".signed" : ".unsigned";
      Files.write(extra.resolve(zone.name() + suffix), zone.records());
    }
    run(
        List.of("sh", script.toString(), work.toString()),
        Duration.ofMinutes(2),
        "NS_ADDRESS=" + AUTHORITATIVE_ADDRESS,
        "EXTRA_ZONES=" + extra);
  }

  private void startKnot() throws Exception {
    Path dir = Files.createDirectories(work.resolve("knot"));
    StringBuilder conf = new StringBuilder();
    conf.append("server:\n")
        .append("    rundir: \"")
        .append(dir)
        .append("\"\n")
        .append("    listen: [")
        .append(AUTHORITATIVE_ADDRESS)
        .append('@')
        .append(authoritativePort)
        .append(", ::1@")
        .append(authoritativePort)
        .append("]\n")
        .append("log:\n  - target: stderr\n    any: warning\n")
        .append("database:\n    storage: \"")
        .append(dir.resolve("db"))
        .append("\"\n")
        .append("template:\n  - id: default\n    storage: \"")
        .append(work.resolve("zones"))
        .append("\"\n")
        // Serve the files exactly as signed: no re-signing, no journal, no write-back.
        .append("    zonefile-sync: -1\n    zonefile-load: whole\n    journal-content: none\n")
        .append("    semantic-checks: off\n")
        .append("zone:\n");
    for (String zone : zones()) {
      String file = zone.equals(".") ? "root" : zone.substring(0, zone.length() - 1);
      conf.append("  - domain: \"").append(zone).append("\"\n");
      conf.append("    file: \"").append(file).append(".zone\"\n");
    }
    Path file = dir.resolve("knot.conf");
    Files.writeString(file, conf);
    start(List.of(tool("knotd"), "-c", file.toString()), dir.resolve("knotd.log"));
    awaitAnswer(new InetSocketAddress(AUTHORITATIVE_ADDRESS, authoritativePort), "knotd");
  }

  private void startUnbound() throws Exception {
    Path dir = Files.createDirectories(work.resolve("unbound"));
    String conf =
        serverOptions(dir)
            + "    interface: "
            + RESOLVER_ADDRESS
            + "\n    port: "
            + resolverPort
            + port53Address.map(address -> "\n    interface: " + address + "@53").orElse("")
            + "\n    outgoing-interface: "
            + RESOLVER_ADDRESS
            + "\n    pidfile: \""
            + dir.resolve("unbound.pid")
            + "\"\n    logfile: \"\"\n    verbosity: 1\n    log-queries: yes\n    val-log-level: 2\n"
            + "    num-threads: 1\n    so-reuseport: no\n    access-control: 127.0.0.0/8 allow\n"
            + "    trust-anchor-file: \""
            + trustAnchor
            + "\"\n    ede: yes\n    prefetch: no\n"
            + "remote-control:\n    control-enable: no\n"
            + stubZones();
    Path file = dir.resolve("unbound.conf");
    Files.writeString(file, conf);
    run(List.of(tool("unbound-checkconf"), file.toString()), Duration.ofSeconds(30));
    start(List.of(tool("unbound"), "-d", "-c", file.toString()), dir.resolve("unbound.log"));
    awaitAnswer(resolver(), "unbound");
    if (port53Resolver().isPresent()) {
      awaitAnswer(port53Resolver().get(), "unbound on port 53");
    }
  }

  /** The configuration of the judge: unbound-host resolves and validates on its own. */
  private void writeJudgeConfig() throws IOException {
    Files.writeString(judgeConfig, serverOptions(work.resolve("unbound")) + stubZones());
  }

  /**
   * Options shared by Unbound and the judge: no chroot or user switch, IPv4 only, loopback allowed
   * as a target, and {@code test.} taken out of Unbound's built-in blocked local zones.
   */
  private static String serverOptions(Path dir) {
    return "server:\n    directory: \""
        + dir
        + "\"\n    chroot: \"\"\n    username: \"\"\n    use-syslog: no\n    do-ip6: no\n"
        + "    do-not-query-localhost: no\n    module-config: \"validator iterator\"\n"
        + "    local-zone: \"test.\" nodefault\n    qname-minimisation: no\n"
        + "    target-fetch-policy: \"0 0 0 0 0\"\n";
  }

  private String stubZones() throws IOException {
    StringBuilder stubs = new StringBuilder();
    for (String zone : zones()) {
      stubs
          .append("stub-zone:\n    name: \"")
          .append(zone)
          .append("\"\n    stub-addr: ")
          .append(AUTHORITATIVE_ADDRESS)
          .append('@')
          .append(authoritativePort)
          .append('\n');
    }
    return stubs.toString();
  }

  private void start(List<String> command, Path log) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    daemons.add(process);
  }

  /** Waits until the server answers an SOA query for the root, or fails with its log. */
  private void awaitAnswer(InetSocketAddress server, String name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(Duration.ofMillis(500));
    Message query = Message.newQuery(Record.newRecord(Name.root, Type.SOA, DClass.IN));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String last = "no attempt";
    while (System.nanoTime() < deadline) {
      try {
        Message response = resolver.send(query);
        if (response.getRcode() == Rcode.NOERROR) {
          return;
        }
        last = Rcode.string(response.getRcode());
      } catch (IOException e) {
        last = e.getMessage();
      }
      Thread.sleep(200);
    }
    Assertions.fail(name + " did not answer on " + server + " (" + last + "); see " + work);
  }

  /** Runs a tool to completion and returns its output; fails on a non-zero exit. */
  static String run(List<String> command, Duration timeout, String... environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    for (String variable : environment) {
      int equals = variable.indexOf('=');
      builder.environment().put(variable.substring(0, equals), variable.substring(equals + 1));
    }
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      Assertions.fail(command + " did not finish within " + timeout);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      Assertions.fail(command + " exited with " + process.exitValue() + ":\n" + text);
    }
    return text;
  }

  /** The absolute path of a tool, searched in PATH and the sbin directories. */
  static String tool(String name) {
    return find(name).orElseThrow(() -> new IllegalStateException(name + " not found"));
  }

  private static Optional<String> find(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin"));
    for (String dir : dirs) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  /** A port that is free for both TCP and UDP on every address given. */
  private static int freePort(String... addresses) throws IOException {
    InetAddress first = InetAddress.getByName(addresses[0]);
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, first)) {
        port = probe.getLocalPort();
      }
      if (freeEverywhere(port, addresses)) {
        return port;
      }
    }
    throw new IOException("no port free on all of " + List.of(addresses));
  }

  private static boolean freeEverywhere(int port, String... addresses) {
    for (String address : addresses) {
      try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName(address));
          DatagramSocket udp =
              new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port))) {
        // Both bound: the port is free on this address.
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** Stops every daemon by its process id, newest first. */
  @Override
  public void close() {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Process process = daemons.get(i);
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
