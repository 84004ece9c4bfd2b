package io.mxwatch.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * A ClientHello with chosen parameters (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2). For TLS 1.3 the
 * version field contains TLS 1.2 and supported_versions carries TLS 1.3; for older versions the
 * version field is the highest version offered.
 *
 * @param version the highest version offered
 * @param cipherSuites the offered suites, most preferred first
 * @param compressionMethods offered compression methods; null (0) is always added last
 * @param supportedGroups the supported_groups extension, empty to leave it out
 * @param signatureAlgorithms the signature_algorithms extension (TLS 1.2 and later), empty to leave
 *     it out
 * @param keyShares TLS 1.3 groups to send a key share for; empty makes a server that accepts send a
 *     HelloRetryRequest naming the group it wants
 * @param serverName host name for server_name (SNI), or null
 * @param secureRenegotiation send the empty renegotiation_info extension (RFC 5746 §3.4), or the
 *     SCSV for SSL 3.0
 * @param extendedMasterSecret send the extended_master_secret extension (RFC 7627 §5.1)
 */
public record ClientHello(
    TlsVersion version,
    List<Integer> cipherSuites,
    List<Integer> compressionMethods,
    List<Integer> supportedGroups,
    List<Integer> signatureAlgorithms,
    List<Integer> keyShares,
    String serverName,
    boolean secureRenegotiation,
    boolean extendedMasterSecret) {

  private static final int EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF;
  private static final SecureRandom RANDOM = new SecureRandom();

  public ClientHello {
    if (version == TlsVersion.SSL_2_0) {
      throw new IllegalArgumentException("SSLv2 uses its own hello, see Sslv2Hello");
    }
    cipherSuites = List.copyOf(cipherSuites);
    compressionMethods = List.copyOf(compressionMethods);
    supportedGroups = List.copyOf(supportedGroups);
    signatureAlgorithms = List.copyOf(signatureAlgorithms);
    keyShares = List.copyOf(keyShares);
    if (cipherSuites.isEmpty()) {
      throw new IllegalArgumentException("a ClientHello needs at least one cipher suite");
    }
  }

  /** A hello for {@code version} with broad defaults: every group and signature scheme. */
  public static ClientHello of(TlsVersion version, List<Integer> suites, String serverName) {
    boolean tls13 = version == TlsVersion.TLS_1_3;
    return new ClientHello(
        version,
        suites,
        List.of(),
        NamedGroup.all().stream().map(NamedGroup::code).toList(),
        version.compareTo(TlsVersion.TLS_1_2) >= 0 ? SignatureScheme.all() : List.of(),
        tls13 ? List.of(NamedGroup.X25519, NamedGroup.SECP256R1) : List.of(),
        serverName,
        !tls13,
        !tls13);
  }

  public ClientHello withCipherSuites(List<Integer> suites) {
    return new ClientHello(
        version,
        suites,
        compressionMethods,
        supportedGroups,
        signatureAlgorithms,
        keyShares,
        serverName,
        secureRenegotiation,
        extendedMasterSecret);
  }

  public ClientHello withSupportedGroups(List<Integer> groups, List<Integer> shares) {
    return new ClientHello(
        version,
        cipherSuites,
        compressionMethods,
        groups,
        signatureAlgorithms,
        shares,
        serverName,
        secureRenegotiation,
        extendedMasterSecret);
  }

  public ClientHello withSignatureAlgorithms(List<Integer> schemes) {
    return new ClientHello(
        version,
        cipherSuites,
        compressionMethods,
        supportedGroups,
        schemes,
        keyShares,
        serverName,
        secureRenegotiation,
        extendedMasterSecret);
  }

  public ClientHello withCompressionMethods(List<Integer> methods) {
    return new ClientHello(
        version,
        cipherSuites,
        methods,
        supportedGroups,
        signatureAlgorithms,
        keyShares,
        serverName,
        secureRenegotiation,
        extendedMasterSecret);
  }

  /** The hello as one handshake record, ready to write to the socket. */
  public byte[] encode() {
    byte[] body = body();
    Writer message = new Writer();
    message.u8(1);
    message.u24(body.length);
    message.bytes(body);
    byte[] handshake = message.toByteArray();
    if (handshake.length > 16384) {
      throw new IllegalStateException("ClientHello does not fit one record");
    }
    Writer record = new Writer();
    record.u8(22);
    // RFC 8446 §5.1: 0x0301 in the record layer of an initial hello, for old middleboxes.
    record.u16(version == TlsVersion.SSL_3_0 ? 0x0300 : 0x0301);
    record.u16(handshake.length);
    record.bytes(handshake);
    return record.toByteArray();
  }

  private byte[] body() {
    boolean tls13 = version == TlsVersion.TLS_1_3;
    Writer out = new Writer();
    out.u16(tls13 ? TlsVersion.TLS_1_2.wire() : version.wire());
    out.bytes(random(32));
    // A 32-byte session id: RFC 8446 §D.4 middlebox compatibility, harmless for older versions.
    out.u8(32);
    out.bytes(random(32));

    Writer suites = new Writer();
    cipherSuites.forEach(suites::u16);
    if (secureRenegotiation && version == TlsVersion.SSL_3_0) {
      suites.u16(EMPTY_RENEGOTIATION_INFO_SCSV);
    }
    out.vector16(suites.toByteArray());

    Writer compression = new Writer();
    compressionMethods.stream().filter(m -> m != 0).forEach(compression::u8);
    compression.u8(0);
    out.vector8(compression.toByteArray());

    if (version != TlsVersion.SSL_3_0) {
      byte[] extensions = extensions(out.size() + 4 + 2);
      out.vector16(extensions);
    }
    return out.toByteArray();
  }

  private byte[] extensions(int lengthBefore) {
    Writer out = new Writer();
    if (serverName != null) {
      byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
      Writer list = new Writer();
      list.u8(0);
      list.vector16(name);
      Writer data = new Writer();
      data.vector16(list.toByteArray());
      extension(out, TlsExtension.SERVER_NAME, data.toByteArray());
    }
    if (!supportedGroups.isEmpty()) {
      Writer data = new Writer();
      data.vector16(u16s(supportedGroups));
      extension(out, TlsExtension.SUPPORTED_GROUPS, data.toByteArray());
      extension(out, TlsExtension.EC_POINT_FORMATS, new byte[] {1, 0});
    }
    if (!signatureAlgorithms.isEmpty()) {
      Writer data = new Writer();
      data.vector16(u16s(signatureAlgorithms));
      extension(out, TlsExtension.SIGNATURE_ALGORITHMS, data.toByteArray());
    }
    if (extendedMasterSecret) {
      extension(out, TlsExtension.EXTENDED_MASTER_SECRET, new byte[0]);
    }
    if (secureRenegotiation) {
      extension(out, TlsExtension.RENEGOTIATION_INFO, new byte[] {0});
    }
    if (version == TlsVersion.TLS_1_3) {
      extension(out, TlsExtension.SUPPORTED_VERSIONS, new byte[] {2, 3, 4});
      extension(out, TlsExtension.PSK_KEY_EXCHANGE_MODES, new byte[] {1, 1});
      Writer shares = new Writer();
      for (int group : keyShares) {
        shares.u16(group);
        shares.vector16(KeyShares.publicKey(group));
      }
      Writer data = new Writer();
      data.vector16(shares.toByteArray());
      extension(out, TlsExtension.KEY_SHARE, data.toByteArray());
    }
    // RFC 7685 §1: some servers hang on hellos of 256 to 511 bytes; padding moves past them.
    int helloLength = lengthBefore + out.size();
    if (helloLength >= 256 && helloLength < 512) {
      int padding = Math.max(1, 512 - helloLength - 4);
      extension(out, TlsExtension.PADDING, new byte[padding]);
    }
    return out.toByteArray();
  }

  private static void extension(Writer out, int type, byte[] data) {
    out.u16(type);
    out.vector16(data);
  }

  private static byte[] u16s(List<Integer> values) {
    Writer out = new Writer();
    values.forEach(out::u16);
    return out.toByteArray();
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** Big-endian writer for TLS structures. */
  static final class Writer extends ByteArrayOutputStream {
    void u8(int value) {
      write(value);
    }

    void u16(int value) {
      write(value >> 8);
      write(value);
    }

    void u24(int value) {
      write(value >> 16);
      write(value >> 8);
      write(value);
    }

    void bytes(byte[] data) {
      writeBytes(data);
    }

    void vector8(byte[] data) {
      u8(data.length);
      bytes(data);
    }

    void vector16(byte[] data) {
      u16(data.length);
      bytes(data);
    }
  }
}
