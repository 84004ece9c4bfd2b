package io.mxwatch.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public JSON shape of a scan result, shared by {@code scan --json} and the REST API: {@code
 * domain}, {@code scannedAt}, {@code score}, {@code mxHosts} and {@code findings}, plus a few extra
 * fields. Built as maps so that the shape does not depend on serializer settings.
 */
public final class ScanResultJson {
  private ScanResultJson() {}

  public static Map<String, Object> toJson(ScanResult result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("domain", result.domain());
    json.put("unicodeDomain", result.unicodeDomain());
    json.put("scannedAt", result.scannedAt().toString());
    json.put("durationMs", result.duration().toMillis());
    json.put("score", result.score().overall());
    Map<String, Object> categories = new LinkedHashMap<>();
    result.score().categories().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> categories.put(e.getKey().key(), e.getValue()));
    json.put("categoryScores", categories);
    json.put("mxHosts", result.mxHosts().stream().map(ScanResultJson::mxHost).toList());
    json.put("findings", result.findings().stream().map(ScanResultJson::finding).toList());
    json.put("observations", result.observations());
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("dnsQueries", result.stats().dnsQueries());
    stats.put("dnsMillis", result.stats().dnsMillis());
    stats.put("smtpConnections", result.stats().smtpConnections());
    stats.put("retries", result.stats().retries());
    json.put("stats", stats);
    return json;
  }

  private static Map<String, Object> mxHost(MxHost host) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", host.name());
    json.put("preference", host.preference());
    json.put("addresses", List.copyOf(host.addresses()));
    return json;
  }

  public static Map<String, Object> finding(Finding finding) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("check", finding.check());
    json.put("status", finding.status().wireName());
    json.put("target", finding.target());
    json.put("summary", finding.summary());
    json.put("details", finding.details());
    json.put("advice", finding.advice());
    return json;
  }
}
