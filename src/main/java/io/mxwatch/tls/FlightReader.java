package io.mxwatch.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a server's reply to a ClientHello from a stream, record by record, without completing the
 * handshake. Every length the server controls is bounded before anything is allocated.
 */
public final class FlightReader {
  /** RFC 5246 §6.2.3: a record carries at most 2^14 + 2048 bytes. */
  public static final int MAX_RECORD_LENGTH = 16384 + 2048;

  /** Largest handshake message accepted; real Certificate messages stay far below this. */
  public static final int MAX_MESSAGE_LENGTH = 128 * 1024;

  /** Largest sum of handshake bytes accepted before ServerHelloDone. */
  public static final int MAX_FLIGHT_LENGTH = 192 * 1024;

  /** Longest certificate chain accepted. */
  public static final int MAX_CHAIN_LENGTH = 16;

  /** Records read before giving up on a server that sends only empty or unrelated records. */
  private static final int MAX_RECORDS = 256;

  private static final int CHANGE_CIPHER_SPEC = 20;
  private static final int ALERT = 21;
  private static final int HANDSHAKE = 22;
  private static final int APPLICATION_DATA = 23;

  private FlightReader() {}

  /**
   * Reads until the flight is complete, an alert arrives, or the server closes the connection.
   *
   * @throws TlsParseException when the bytes are not TLS or break a bound
   * @throws IOException when reading fails (a timeout included)
   */
  public static ServerFlight read(InputStream in) throws IOException, TlsParseException {
    State state = new State();
    for (int records = 0; records < MAX_RECORDS; records++) {
      int first = in.read();
      if (first == -1) {
        return state.finish(
            state.hello == null ? "connection closed without a ServerHello" : "connection closed");
      }
      if ((first & 0x80) != 0) {
        throw new TlsParseException("server answered with an SSLv2 record");
      }
      byte[] header = readFully(in, 4, "record header");
      int version = ((header[0] & 0xff) << 8) | (header[1] & 0xff);
      int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      if ((version >> 8) != 3) {
        throw new TlsParseException(
            String.format("record type %d with version 0x%04x is not TLS", first, version));
      }
      if (length > MAX_RECORD_LENGTH) {
        throw new TlsParseException("record of " + length + " bytes exceeds the TLS maximum");
      }
      byte[] fragment = readFully(in, length, "record body");
      switch (first) {
        case ALERT -> {
          if (length < 2) {
            throw new TlsParseException("alert record of " + length + " bytes");
          }
          state.alert = new TlsAlert(fragment[0] & 0xff, fragment[1] & 0xff);
          return state.finish(null);
        }
        case HANDSHAKE -> {
          if (state.handshake(fragment)) {
            return state.finish(null);
          }
        }
        case CHANGE_CIPHER_SPEC -> {
          // RFC 8446 §D.4: middlebox compatibility; nothing to learn.
        }
        case APPLICATION_DATA -> {
          return state.finish("encrypted records follow");
        }
        default -> throw new TlsParseException("unknown record type " + first);
      }
    }
    throw new TlsParseException("more than " + MAX_RECORDS + " records without ServerHelloDone");
  }

  /** Parses a complete flight held in memory, as tests and fuzzers feed it. */
  public static ServerFlight parse(byte[] bytes) throws TlsParseException {
    try {
      return read(new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("in-memory stream failed", e);
    }
  }

  private static byte[] readFully(InputStream in, int length, String what)
      throws IOException, TlsParseException {
    byte[] data = in.readNBytes(length);
    if (data.length != length) {
      throw new TlsParseException(what + " truncated: connection closed");
    }
    return data;
  }

  /** The handshake messages seen so far; handshake messages may span records (RFC 5246 §6.2.1). */
  private static final class State {
    final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    int total;
    ServerHello hello;
    List<byte[]> certificates = List.of();
    ServerKeyExchange keyExchange;
    TlsAlert alert;

    /** Consumes one handshake fragment; true when the flight is complete. */
    boolean handshake(byte[] fragment) throws TlsParseException {
      total += fragment.length;
      if (total > MAX_FLIGHT_LENGTH) {
        throw new TlsParseException("server flight exceeds " + MAX_FLIGHT_LENGTH + " bytes");
      }
      pending.writeBytes(fragment);
      byte[] buffer = pending.toByteArray();
      int offset = 0;
      while (buffer.length - offset >= 4) {
        int type = buffer[offset] & 0xff;
        int length =
            ((buffer[offset + 1] & 0xff) << 16)
                | ((buffer[offset + 2] & 0xff) << 8)
                | (buffer[offset + 3] & 0xff);
        if (length > MAX_MESSAGE_LENGTH) {
          throw new TlsParseException(
              "handshake message of " + length + " bytes exceeds " + MAX_MESSAGE_LENGTH);
        }
        if (buffer.length - offset - 4 < length) {
          break;
        }
        byte[] body = java.util.Arrays.copyOfRange(buffer, offset + 4, offset + 4 + length);
        offset += 4 + length;
        if (message(type, body)) {
          return true;
        }
      }
      pending.reset();
      pending.write(buffer, offset, buffer.length - offset);
      return false;
    }

    private boolean message(int type, byte[] body) throws TlsParseException {
      if (hello == null && type != 2) {
        if (type == 0) {
          return false; // HelloRequest may arrive at any time (RFC 5246 §7.4.1.1)
        }
        throw new TlsParseException("handshake message " + type + " before ServerHello");
      }
      switch (type) {
        case 2 -> {
          if (hello != null) {
            throw new TlsParseException("second ServerHello");
          }
          hello = ServerHello.parse(body);
          // TLS 1.3 encrypts everything after the ServerHello; a HelloRetryRequest ends the flight.
          return hello.helloRetryRequest() || hello.selectedVersion() >= TlsVersion.TLS_1_3.wire();
        }
        case 11 -> certificates = parseCertificates(body);
        case 12 -> keyExchange = parseKeyExchange(body);
        case 14 -> {
          return true;
        }
        default -> {
          // CertificateStatus, CertificateRequest and others carry nothing the checks grade.
        }
      }
      return false;
    }

    private ServerKeyExchange parseKeyExchange(byte[] body) throws TlsParseException {
      CipherSuite suite =
          CipherSuites.byCode(hello.cipherSuite())
              .orElseThrow(
                  () ->
                      new TlsParseException(
                          "ServerKeyExchange for unknown suite "
                              + CipherSuite.hex(hello.cipherSuite())));
      CipherSuite.KeyExchangeKind kind = suite.kind();
      if (!kind.ecdhe() && !kind.dhe()) {
        return null;
      }
      boolean tls12 = hello.selectedVersion() >= TlsVersion.TLS_1_2.wire();
      return ServerKeyExchange.parse(body, kind, tls12);
    }

    ServerFlight finish(String note) {
      return new ServerFlight(hello, certificates, keyExchange, alert, note);
    }
  }

  static List<byte[]> parseCertificates(byte[] body) throws TlsParseException {
    TlsBuffer in = new TlsBuffer(body, "Certificate");
    TlsBuffer list = in.vector24("certificate_list");
    in.expectEnd();
    List<byte[]> certificates = new ArrayList<>();
    while (list.hasRemaining()) {
      if (certificates.size() == MAX_CHAIN_LENGTH) {
        throw new TlsParseException("certificate chain longer than " + MAX_CHAIN_LENGTH);
      }
      byte[] der = list.vector24("certificate").rest();
      if (der.length == 0) {
        throw new TlsParseException("empty certificate in chain");
      }
      certificates.add(der);
    }
    return certificates;
  }
}
