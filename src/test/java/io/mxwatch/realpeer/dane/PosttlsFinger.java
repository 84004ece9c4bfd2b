package io.mxwatch.realpeer.dane;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Postfix's DANE client, {@code posttls-finger}, with every DNS query sent to one loopback
 * resolver. posttls-finger resolves through libc, which reads /etc/resolv.conf, and that file on a
 * test machine names a resolver outside loopback. So each run gets a private mount namespace in
 * which a resolv.conf of the test's own is bind-mounted over /etc/resolv.conf, and runs under
 * strace, whose record of every connect and send lets the test prove that no packet left loopback.
 * Needs root, for the mount namespace. Each run's output and strace record stay in the directory.
 */
final class PosttlsFinger {
  static final String PROGRAM = "/usr/sbin/posttls-finger";
  static final String STRACE = "/usr/bin/strace";
  static final String UNSHARE = "/usr/bin/unshare";

  /**
   * Runs inside the new mount namespace. It stops before posttls-finger starts unless
   * /etc/resolv.conf is the test's file.
   */
  private static final String NAMESPACE_SCRIPT =
      """
      mount --bind "$RESOLV_CONF" /etc/resolv.conf || exit 97
      cmp -s "$RESOLV_CONF" /etc/resolv.conf || exit 98
      exec "$STRACE" -f -qq -e trace=connect,sendto,sendmsg,sendmmsg -e signal=none \
        -o "$TRACE" "$PROGRAM" "$@"
      """;

  private static final Pattern INET =
      Pattern.compile("sin_port=htons\\((\\d+)\\), sin_addr=inet_addr\\(\"([^\"]+)\"\\)");
  private static final Pattern INET6 =
      Pattern.compile("sin6_port=htons\\((\\d+)\\).*?inet_pton\\(AF_INET6, \"([^\"]+)\"");

  private final Path directory;
  private final Path resolvConf;
  private int runs;

  /**
   * Writes the client's main.cf and a resolv.conf naming {@code nameserver} on port 53. {@code
   * options trust-ad} lets glibc 2.31 and later pass the resolver's AD bit on to the program.
   * posttls-finger of Postfix 3.7.11 also verified DANE without the option, so it does not depend
   * on it, but other versions may.
   */
  PosttlsFinger(Path directory, InetAddress nameserver) throws IOException {
    this.directory = Files.createDirectories(directory);
    this.resolvConf = directory.resolve("resolv.conf");
    Files.writeString(
        resolvConf, "nameserver " + nameserver.getHostAddress() + "\noptions trust-ad\n");
    Files.writeString(
        directory.resolve("main.cf"),
        "compatibility_level = 3.6\nmyhostname = posttls-finger.test\n");
  }

  /**
   * One run of posttls-finger.
   *
   * @param output what posttls-finger printed, standard error included
   * @param destinations every IPv4 and IPv6 address and port it connected or sent to, as {@code
   *     address:port}; a socket call that strace shows but this class cannot parse is listed as
   *     {@code unparsed: <line>}
   */
  record Run(String output, List<String> destinations) {
    Run {
      destinations = List.copyOf(destinations);
    }

    /** The destinations outside 127.0.0.0/8 and ::1. */
    List<String> nonLoopback() {
      List<String> outside = new ArrayList<>();
      for (String destination : destinations) {
        if (!isLoopback(destination)) {
          outside.add(destination);
        }
      }
      return outside;
    }

    Verdict verdict() {
      return Verdict.of(output);
    }
  }

  /**
   * Runs {@code posttls-finger -c -l dane -L summary,certmatch,verbose DOMAIN}: SMTP chat off,
   * security level dane, and TLS logging with the TLSA records that passed DNSSEC validation.
   */
  Run check(String domain) throws IOException, InterruptedException {
    runs++;
    Path trace = directory.resolve("strace-" + runs + ".log");
    Path log = directory.resolve("output-" + runs + ".log");
    List<String> command =
        List.of(
            UNSHARE,
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            NAMESPACE_SCRIPT,
            "posttls-finger",
            "-c",
            "-t",
            "10",
            "-T",
            "10",
            "-l",
            "dane",
            "-L",
            "summary,certmatch,verbose",
            domain);

    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("MAIL_CONFIG", directory.toString());
    builder.environment().put("RESOLV_CONF", resolvConf.toString());
    builder.environment().put("TRACE", trace.toString());
    builder.environment().put("STRACE", STRACE);
    builder.environment().put("PROGRAM", PROGRAM);

    // posttls-finger's own -t and -T timeouts bound each step, so 60 s is a backstop.
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("posttls-finger " + domain + " did not finish within 60 s");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);

    int exit = process.exitValue();
    if (exit == 97 || exit == 98) {
      throw new IOException(
          "the private resolv.conf could not replace /etc/resolv.conf (exit "
              + exit
              + "), so posttls-finger did not run: "
              + output);
    }

    if (!Files.exists(trace)) {
      throw new IOException("strace wrote no trace, exit " + exit + ": " + output);
    }
    return new Run(output, destinations(Files.readAllLines(trace)));
  }

  /** The addresses in strace's connect, sendto, sendmsg and sendmmsg lines. */
  static List<String> destinations(List<String> traceLines) {
    List<String> destinations = new ArrayList<>();
    for (String line : traceLines) {
      if (line.contains("sa_family=AF_INET6")) {
        Matcher matcher = INET6.matcher(line);
        destinations.add(
            matcher.find() ? matcher.group(2) + ":" + matcher.group(1) : "unparsed: " + line);
      } else if (line.contains("sa_family=AF_INET")) {
        Matcher matcher = INET.matcher(line);
        destinations.add(
            matcher.find() ? matcher.group(2) + ":" + matcher.group(1) : "unparsed: " + line);
      }
    }
    return destinations;
  }

  private static boolean isLoopback(String destination) {
    if (destination.startsWith("unparsed: ")) {
      return false;
    }
    String address = destination.substring(0, destination.lastIndexOf(':'));
    // Only address literals reach getByName (a dotted quad, or text with a colon, which is never a
    // host name), so it never sends a DNS query.
    boolean literal =
        address.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            || address.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /**
   * What posttls-finger concluded, in the words the agreement table compares.
   *
   * @param tlsa {@code secure} when it found a DNSSEC-validated TLSA RRset, {@code none} otherwise.
   *     It lists each record of such an RRset that it loaded and warns about each record of an
   *     unsupported usage, which it drops before listing.
   * @param authentication {@code match} ("Verified TLS connection"), {@code unusable} ("all TLSA
   *     records unusable"), {@code mismatch} (an "Untrusted" connection despite secure TLSA
   *     records), {@code no DANE} (an "Untrusted" connection without them, from the secure level
   *     that it falls back to), or {@code error: <first line>}
   * @param tlsaDetail the TLSA records it loaded and the warnings about the others, for the table
   * @param detail the line that explains the verdict, for the table
   */
  record Verdict(String tlsa, String tlsaDetail, String authentication, String detail) {
    private static final Pattern FAILURE =
        Pattern.compile("certificate verification failed for \\S+: (.*)");
    private static final Pattern MATCHED = Pattern.compile(": (Matched DANE .*?: \\d \\d \\d)");

    static Verdict of(String output) {
      long loaded = output.lines().filter(l -> l.contains("DNSSEC-signed TLSA record:")).count();
      long unsupported =
          output.lines().filter(l -> l.contains("unsupported TLSA certificate usage")).count();
      boolean tlsa = loaded + unsupported > 0;
      String secure = tlsa ? "secure" : "none";
      String tlsaDetail =
          loaded + " DNSSEC-signed TLSA record(s) loaded, " + unsupported + " of unsupported usage";
      Matcher failure = FAILURE.matcher(output);
      String reason = failure.find() ? failure.group(1) : "";

      if (output.contains("Verified TLS connection established")) {
        Matcher matched = MATCHED.matcher(output);
        return new Verdict(secure, tlsaDetail, "match", matched.find() ? matched.group(1) : "");
      }
      if (output.contains("all TLSA records unusable")) {
        return new Verdict(secure, tlsaDetail, "unusable", "all TLSA records unusable");
      }
      if (output.contains("Untrusted TLS connection established")) {
        return new Verdict(secure, tlsaDetail, tlsa ? "mismatch" : "no DANE", reason);
      }
      String first = output.lines().findFirst().orElse("(no output)");
      return new Verdict(secure, tlsaDetail, "error: " + first, first);
    }
  }
}
