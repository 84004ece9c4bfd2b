package io.mxwatch.tls;

import java.util.Optional;

/** Protocol versions with their wire values (RFC 6101, 2246, 4346, 5246, 8446). */
public enum TlsVersion {
  SSL_2_0(0x0002, "SSLv2"),
  SSL_3_0(0x0300, "SSLv3"),
  TLS_1_0(0x0301, "TLSv1"),
  TLS_1_1(0x0302, "TLSv1.1"),
  TLS_1_2(0x0303, "TLSv1.2"),
  TLS_1_3(0x0304, "TLSv1.3");

  private final int wire;
  private final String label;

  TlsVersion(int wire, String label) {
    this.wire = wire;
    this.label = label;
  }

  public int wire() {
    return wire;
  }

  /** The name JSSE and OpenSSL use, such as {@code TLSv1.2}. */
  public String label() {
    return label;
  }

  public static Optional<TlsVersion> fromWire(int wire) {
    for (TlsVersion version : values()) {
      if (version.wire == wire) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }

  /** The name for a wire value that may not be a known version, such as {@code 0x7f1c}. */
  public static String describe(int wire) {
    return fromWire(wire).map(TlsVersion::label).orElse(String.format("0x%04x", wire));
  }

  public static Optional<TlsVersion> fromLabel(String label) {
    for (TlsVersion version : values()) {
      if (version.label.equals(label)) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }
}
