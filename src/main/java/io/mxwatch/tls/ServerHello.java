package io.mxwatch.tls;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A ServerHello or HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3).
 *
 * @param legacyVersion the version field; TLS 1.3 puts 0x0303 here
 * @param cipherSuite the chosen cipher suite
 * @param compressionMethod the chosen compression method (0 null, 1 DEFLATE)
 * @param extensions extension type to extension data, in the order received
 * @param helloRetryRequest true when the random is the HelloRetryRequest value
 */
public record ServerHello(
    int legacyVersion,
    int cipherSuite,
    int compressionMethod,
    Map<Integer, byte[]> extensions,
    boolean helloRetryRequest) {

  /** SHA-256 of "HelloRetryRequest", the random of every HelloRetryRequest (RFC 8446 §4.1.3). */
  static final byte[] HELLO_RETRY_REQUEST_RANDOM =
      HexFormat.of().parseHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

  public ServerHello {
    extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  /** The negotiated version: supported_versions when present (TLS 1.3), else the version field. */
  public int selectedVersion() {
    byte[] supported = extensions.get(TlsExtension.SUPPORTED_VERSIONS);
    if (supported != null && supported.length == 2) {
      return ((supported[0] & 0xff) << 8) | (supported[1] & 0xff);
    }
    return legacyVersion;
  }

  /** The group of the server's key share, or the group a HelloRetryRequest requests. */
  public Optional<Integer> keyShareGroup() {
    byte[] share = extensions.get(TlsExtension.KEY_SHARE);
    if (share == null || share.length < 2) {
      return Optional.empty();
    }
    return Optional.of(((share[0] & 0xff) << 8) | (share[1] & 0xff));
  }

  /** RFC 5746 §3.6: the server echoes renegotiation_info when it supports secure renegotiation. */
  public boolean secureRenegotiation() {
    return extensions.containsKey(TlsExtension.RENEGOTIATION_INFO);
  }

  /** RFC 7627 §5.2: the server echoes extended_master_secret when it will use it. */
  public boolean extendedMasterSecret() {
    return extensions.containsKey(TlsExtension.EXTENDED_MASTER_SECRET);
  }

  static ServerHello parse(byte[] body) throws TlsParseException {
    TlsBuffer in = new TlsBuffer(body, "ServerHello");
    int version = in.u16();
    byte[] random = in.bytes(32);
    TlsBuffer sessionId = in.vector8("ServerHello session id");
    if (sessionId.remaining() > 32) {
      throw new TlsParseException("ServerHello session id longer than 32 bytes");
    }
    int suite = in.u16();
    int compression = in.u8();
    Map<Integer, byte[]> extensions = new LinkedHashMap<>();
    if (in.hasRemaining()) {
      TlsBuffer list = in.vector16("ServerHello extensions");
      while (list.hasRemaining()) {
        int type = list.u16();
        byte[] data = list.vector16("ServerHello extension " + type).rest();
        if (extensions.put(type, data) != null) {
          throw new TlsParseException("ServerHello repeats extension " + type);
        }
      }
    }
    in.expectEnd();
    boolean retry = Arrays.equals(random, HELLO_RETRY_REQUEST_RANDOM);
    return new ServerHello(version, suite, compression, extensions, retry);
  }
}
