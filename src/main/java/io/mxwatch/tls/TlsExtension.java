package io.mxwatch.tls;

/** Extension type values used by the probes (IANA TLS ExtensionType registry). */
public final class TlsExtension {
  private TlsExtension() {}

  public static final int SERVER_NAME = 0;
  public static final int SUPPORTED_GROUPS = 10;
  public static final int EC_POINT_FORMATS = 11;
  public static final int SIGNATURE_ALGORITHMS = 13;
  public static final int PADDING = 21;
  public static final int EXTENDED_MASTER_SECRET = 23;
  public static final int SESSION_TICKET = 35;
  public static final int SUPPORTED_VERSIONS = 43;
  public static final int PSK_KEY_EXCHANGE_MODES = 45;
  public static final int KEY_SHARE = 51;
  public static final int RENEGOTIATION_INFO = 0xff01;
}
