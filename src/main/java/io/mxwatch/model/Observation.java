package io.mxwatch.model;

import java.util.List;

/**
 * What a scan saw on one MX address, kept per scan so that trends show when something changed.
 *
 * @param host the MX host name
 * @param address the IP address
 * @param tlsProtocol the negotiated TLS protocol, or null without TLS
 * @param chain the certificates as presented, leaf first
 * @param tlsaRecords the TLSA RRset of the MX host in presentation form ({@code 3 1 1 ab12...})
 * @param tlsaMatch whether a usable TLSA record matched the chain; null when DANE does not apply
 */
public record Observation(
    String host,
    String address,
    String tlsProtocol,
    List<CertificateInfo> chain,
    List<String> tlsaRecords,
    Boolean tlsaMatch) {
  public Observation {
    chain = List.copyOf(chain);
    tlsaRecords = List.copyOf(tlsaRecords);
  }

  public String target() {
    return host + "/" + address;
  }
}
