package io.camflow.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trivial load balancer of the scale-out tests: a TCP proxy on loopback that hands each new
 * connection to the next backend in turn, skipping one that refuses the connection (a dead
 * instance), and pipes bytes both ways. A backend's death breaks the connections through it, as
 * behind a real balancer. Remembers which backend took the latest request for a {@code /live/} URL
 * (the media a page plays), so a test can kill exactly that one.
 */
final class RoundRobinProxy implements AutoCloseable {

  private final List<Integer> backends;
  private final ServerSocket server;
  private final AtomicInteger next = new AtomicInteger();
  private volatile int lastLiveBackend = -1;
  private volatile boolean closed;

  RoundRobinProxy(List<Integer> backendPorts) throws IOException {
    this.backends = List.copyOf(backendPorts);
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("proxy-accept").start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** The port of the backend that took the latest {@code /live/} request, or -1. */
  int lastLiveBackend() {
    return lastLiveBackend;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> route(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void route(Socket client) {
    for (int tries = 0; tries < backends.size(); tries++) {
      int port = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
      Socket backend = new Socket();
      try {
        backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      } catch (IOException refused) {
        close(backend);
        continue; // a dead instance: the next one
      }
      Thread.ofVirtual().start(() -> pipe(client, backend, port));
      pipe(backend, client, -1);
      return;
    }
    close(client);
  }

  /**
   * Copies until either side ends, then closes both; requests to {@code backendPort} are watched.
   */
  private void pipe(Socket from, Socket to, int backendPort) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (backendPort > 0
            && n > 11
            && new String(buffer, 0, Math.min(n, 64), StandardCharsets.ISO_8859_1)
                .matches("(?s)(GET|POST) /live/.*")) {
          lastLiveBackend = backendPort;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: so does the other
    } finally {
      close(from);
      close(to);
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
