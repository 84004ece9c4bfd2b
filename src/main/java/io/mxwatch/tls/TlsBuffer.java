package io.mxwatch.tls;

import java.util.Arrays;

/** A bounds-checked reader over one TLS structure; every overrun is a {@link TlsParseException}. */
final class TlsBuffer {
  private final byte[] data;
  private final int end;
  private int position;
  private final String what;

  TlsBuffer(byte[] data, String what) {
    this(data, 0, data.length, what);
  }

  private TlsBuffer(byte[] data, int start, int end, String what) {
    this.data = data;
    this.position = start;
    this.end = end;
    this.what = what;
  }

  int remaining() {
    return end - position;
  }

  boolean hasRemaining() {
    return position < end;
  }

  int u8() throws TlsParseException {
    require(1);
    return data[position++] & 0xff;
  }

  int u16() throws TlsParseException {
    require(2);
    int value = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
    position += 2;
    return value;
  }

  int u24() throws TlsParseException {
    require(3);
    int value =
        ((data[position] & 0xff) << 16)
            | ((data[position + 1] & 0xff) << 8)
            | (data[position + 2] & 0xff);
    position += 3;
    return value;
  }

  byte[] bytes(int length) throws TlsParseException {
    require(length);
    byte[] slice = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return slice;
  }

  /** A sub-reader over the next {@code length} bytes, which this reader then skips. */
  TlsBuffer slice(int length, String part) throws TlsParseException {
    require(length);
    TlsBuffer child = new TlsBuffer(data, position, position + length, part);
    position += length;
    return child;
  }

  TlsBuffer vector8(String part) throws TlsParseException {
    return slice(u8(), part);
  }

  TlsBuffer vector16(String part) throws TlsParseException {
    return slice(u16(), part);
  }

  TlsBuffer vector24(String part) throws TlsParseException {
    return slice(u24(), part);
  }

  byte[] rest() {
    byte[] slice = Arrays.copyOfRange(data, position, end);
    position = end;
    return slice;
  }

  void expectEnd() throws TlsParseException {
    if (position != end) {
      throw new TlsParseException(what + " has " + (end - position) + " trailing bytes");
    }
  }

  private void require(int length) throws TlsParseException {
    if (length < 0 || end - position < length) {
      throw new TlsParseException(
          what + " is truncated: needs " + length + " more bytes, has " + (end - position));
    }
  }
}
