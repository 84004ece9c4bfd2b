package io.mxwatch.testworld;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/** UDP and TCP listeners on one loopback address and port, both served by a {@link Responder}. */
final class DnsServer implements AutoCloseable {
  private final Responder responder;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private volatile boolean running = true;

  DnsServer(Responder responder, InetAddress address, int port) throws IOException {
    this.responder = responder;
    this.tcp = new ServerSocket();
    tcp.setReuseAddress(true);
    tcp.bind(new InetSocketAddress(address, port));
    this.udp = new DatagramSocket(new InetSocketAddress(address, tcp.getLocalPort()));
    Thread.ofVirtual().name("test-dns-udp").start(this::serveUdp);
    Thread.ofVirtual().name("test-dns-tcp").start(this::serveTcp);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (running) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
      } catch (IOException e) {
        if (running) {
          continue;
        }
        return;
      }
      byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
      var client = packet.getSocketAddress();
      Thread.ofVirtual()
          .start(
              () -> {
                byte[] response = responder.respond(query, udpLimit(query));
                if (response != null) {
                  try {
                    udp.send(new DatagramPacket(response, response.length, client));
                  } catch (IOException e) {
                    // The client went away; nothing to do in a test server.
                  }
                }
              });
    }
  }

  /** RFC 6891 §6.2.5: the requestor's advertised UDP size, never less than 512. */
  private static int udpLimit(byte[] query) {
    try {
      OPTRecord opt = new Message(query).getOPT();
      return opt == null ? 512 : Math.max(512, opt.getPayloadSize());
    } catch (IOException e) {
      return 512;
    }
  }

  private void serveTcp() {
    while (running) {
      try {
        Socket socket = tcp.accept();
        Thread.ofVirtual().start(() -> serveConnection(socket));
      } catch (IOException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  private void serveConnection(Socket socket) {
    try (socket) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      while (true) {
        int length = in.readUnsignedShort();
        byte[] query = in.readNBytes(length);
        byte[] response = responder.respond(query, 65535);
        if (response == null) {
          continue;
        }
        out.writeShort(response.length);
        out.write(response);
        out.flush();
      }
    } catch (SocketException | java.io.EOFException e) {
      // Connection closed by the client.
    } catch (IOException e) {
      // A broken test connection ends that connection only.
    }
  }

  @Override
  public void close() {
    running = false;
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // Closing a listener that is already closed.
    }
  }
}
