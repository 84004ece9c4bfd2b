package io.mxwatch.realpeer.dns;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The independent verdicts: {@code unbound-host -v}, which resolves and validates on its own from
 * the private trust anchor, and {@code drill}, which reads what the Unbound daemon and the Knot
 * server answer.
 */
final class Judge {
  private static final Pattern FAILURE = Pattern.compile("validation failure <[^>]*>: (.*)");
  private static final DateTimeFormatter RRSIG_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private final DnsPeers peers;

  Judge(DnsPeers peers) {
    this.peers = peers;
  }

  /**
   * What unbound-host says about one question.
   *
   * @param verdict {@code bogus}, or the security status with the outcome, such as {@code secure
   *     ANSWER 1} or {@code insecure NXDOMAIN}
   * @param reason unbound's validation failure text, or an empty text
   * @param data the data lines, such as {@code has TLSA record 3 1 1 ...}
   * @param output the whole output, for the failure message
   */
  record Verdict(String verdict, String reason, List<String> data, String output) {}

  Verdict unboundHost(String name, String type) throws Exception {
    String output =
        DnsPeers.run(
            List.of(
                DnsPeers.tool("unbound-host"),
                "-C",
                peers.judgeConfig.toString(),
                "-f",
                peers.trustAnchor.toString(),
                "-v",
                "-t",
                type,
                name),
            Duration.ofSeconds(60));
    String security;
    if (output.contains("(BOGUS")) {
      security = "bogus";
    } else if (output.contains("(secure)")) {
      security = "secure";
    } else if (output.contains("(insecure)")) {
      security = "insecure";
    } else {
      security = "error";
    }
    List<String> data = new ArrayList<>();
    String outcome;
    if (output.contains("3(NXDOMAIN)")) {
      outcome = "NXDOMAIN";
    } else if (output.contains(" has no ")) {
      outcome = "NODATA";
    } else {
      for (String line : output.lines().toList()) {
        if (line.startsWith(name + " ") && !line.startsWith("validation failure")) {
          data.add(line.substring(name.length() + 1).replaceAll(" \\((in)?secure\\)$", ""));
        }
      }
      outcome = data.isEmpty() ? "FAILED" : "ANSWER " + data.size();
    }
    Matcher failure = FAILURE.matcher(output);
    String reason = failure.find() ? failure.group(1) : "";
    String verdict = security.equals("bogus") ? "bogus" : security + " " + outcome;
    return new Verdict(verdict, reason, data, output);
  }

  /**
   * The Unbound daemon's own verdict as drill shows it: SERVFAIL for bogus, the AD flag for secure,
   * neither for insecure.
   */
  String resolverSecurity(String name, String type) throws Exception {
    String output = drill(List.of("-D", "-p", String.valueOf(peers.resolverPort)), name, type);
    if (output.contains("rcode: SERVFAIL")) {
      return "bogus";
    }
    Matcher flags = Pattern.compile(";; flags: ([a-z ]*);").matcher(output);
    if (!flags.find()) {
      return "error";
    }
    return List.of(flags.group(1).trim().split(" ")).contains("ad") ? "secure" : "insecure";
  }

  /** The data records drill reads straight from Knot, as whitespace-separated fields. */
  List<String[]> authoritative(String name, String type) throws Exception {
    String output =
        drill(
            List.of("-D", "-p", String.valueOf(peers.authoritativePort)),
            name,
            type,
            DnsPeers.AUTHORITATIVE_ADDRESS);
    List<String[]> records = new ArrayList<>();
    for (String line : output.lines().toList()) {
      if (line.isBlank() || line.startsWith(";")) {
        continue;
      }
      records.add(line.trim().split("\\s+"));
    }
    return records;
  }

  /** The expiration of the RRSIG over {@code type} at {@code name}, read from Knot. */
  Instant signatureExpiration(String name, String type) throws Exception {
    for (String[] fields : authoritative(name, type)) {
      if (fields.length > 8 && fields[3].equals("RRSIG") && fields[4].equals(type)) {
        return LocalDateTime.parse(fields[8], RRSIG_TIME).toInstant(ZoneOffset.UTC);
      }
    }
    throw new AssertionError("drill shows no RRSIG over " + name + " " + type);
  }

  /** Whether the authoritative server answers an SOA query over IPv6 on {@code ::1}. */
  String answersOverIpv6(String zone) throws Exception {
    String output =
        drill(List.of("-6", "-p", String.valueOf(peers.authoritativePort)), zone, "SOA", "::1");
    boolean answered =
        output.contains("rcode: NOERROR") && output.matches("(?s).*flags: [^;]*aa.*");
    return answered ? "answers" : "no answer";
  }

  private String drill(List<String> options, String name, String type) throws Exception {
    return drill(options, name, type, DnsPeers.RESOLVER_ADDRESS);
  }

  private String drill(List<String> options, String name, String type, String server)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(DnsPeers.tool("drill"));
    command.addAll(options);
    command.add("@" + server);
    command.add(name);
    command.add(type);
    return DnsPeers.run(command, Duration.ofSeconds(30));
  }
}
