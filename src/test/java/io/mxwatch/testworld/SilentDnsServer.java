package io.mxwatch.testworld;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolver that never answers: it receives UDP queries and accepts TCP connections on one
 * loopback port, counts the queries, and sends nothing back.
 */
public final class SilentDnsServer implements AutoCloseable {
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final AtomicInteger received = new AtomicInteger();
  private final List<Socket> connections = new ArrayList<>();
  private volatile boolean running = true;

  private SilentDnsServer(InetAddress address) throws IOException {
    tcp = new ServerSocket();
    tcp.bind(new InetSocketAddress(address, 0));
    udp = new DatagramSocket(new InetSocketAddress(address, tcp.getLocalPort()));
    Thread.ofVirtual().name("silent-dns-udp").start(this::receiveUdp);
    Thread.ofVirtual().name("silent-dns-tcp").start(this::acceptTcp);
  }

  /** Starts a silent server on 127.0.0.1 with a free port. */
  public static SilentDnsServer start() {
    try {
      return new SilentDnsServer(InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the silent DNS server", e);
    }
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
  }

  /** UDP queries and TCP connections received so far. */
  public int received() {
    return received.get();
  }

  private void receiveUdp() {
    byte[] buffer = new byte[65535];
    while (running) {
      try {
        udp.receive(new DatagramPacket(buffer, buffer.length));
        received.incrementAndGet();
      } catch (IOException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  private void acceptTcp() {
    while (running) {
      try {
        Socket socket = tcp.accept();
        received.incrementAndGet();
        synchronized (connections) {
          connections.add(socket);
        }
      } catch (IOException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // Already closed.
    }
    synchronized (connections) {
      for (Socket socket : connections) {
        try {
          socket.close();
        } catch (IOException e) {
          // Already closed by the client.
        }
      }
    }
  }
}
