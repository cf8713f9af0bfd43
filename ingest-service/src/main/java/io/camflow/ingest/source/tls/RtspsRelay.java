package io.camflow.ingest.source.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS to an {@code rtsps://} camera on FFmpeg's behalf. FFmpeg's RTSP demuxer opens its {@code
 * tls:} connection without options, and FFmpeg's TLS does not verify by default: it would accept
 * any certificate. So camflow makes the TLS connection itself — verified as the stream's {@link
 * CameraTls} says, with bounded connect, handshake and read times — and hands FFmpeg a plain {@code
 * rtsp://127.0.0.1:<port>} to read it through.
 *
 * <p>The handshake happens in {@link #open}, before FFmpeg starts: a refused certificate fails
 * there, with a reason. The loopback listener then accepts exactly one connection (from this host)
 * within the accept time and closes; the bytes are copied both ways until either side ends. What
 * the camera sends passes an {@link RtspRedirectGuard}: FFmpeg would follow a redirect on its own,
 * around this relay and with the stream's credentials.
 */
public final class RtspsRelay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RtspsRelay.class);

  /** Cameras whose unverified connection was already warned about: once per camera is enough. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private static final int BUFFER = 16 * 1024;

  private final SSLSocket camera;
  private final ServerSocket listener;
  private final String name;
  private volatile Socket client;
  private volatile String failure;
  private volatile boolean closed;

  private RtspsRelay(SSLSocket camera, ServerSocket listener, String name) {
    this.camera = camera;
    this.listener = listener;
    this.name = name;
  }

  /**
   * Connects to the camera and completes the TLS handshake, then listens on loopback.
   *
   * @param host the URL's host (a name, an IPv4 address or a bracketed IPv6 address)
   * @param timeout bounds the TCP connect, the handshake, and the wait for FFmpeg to connect
   * @param idle bounds how long the camera may send nothing once connected
   * @throws CertificateRefusedException the certificate failed the check
   * @throws SocketTimeoutException no connection or no handshake within {@code timeout}
   * @throws IOException the camera cannot be reached, or the handshake failed otherwise
   */
  public static RtspsRelay open(
      String host, int port, CameraTls tls, Duration timeout, Duration idle) throws IOException {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    SSLSocket socket = (SSLSocket) CameraTrust.context(tls).getSocketFactory().createSocket();
    try {
      socket.connect(new InetSocketAddress(bare, port), millis);
      SSLParameters params = socket.getSSLParameters();
      if (CameraTrust.checksHostName(tls)) {
        params.setEndpointIdentificationAlgorithm("HTTPS");
      }
      if (!isAddress(bare)) {
        params.setServerNames(List.of(new SNIHostName(bare)));
      }
      socket.setSSLParameters(params);
      socket.setSoTimeout(millis);
      socket.setTcpNoDelay(true);
      try {
        socket.startHandshake();
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException("no TLS handshake within " + millis + " ms");
      } catch (SSLException e) {
        throw HandshakeFailures.explain(e, bare);
      }
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, idle.toMillis())));
      String name = bare + ":" + port;
      if (!tls.verify() && WARNED.add(name)) {
        LOG.warn(
            "rtsps camera {}: certificate NOT verified (tlsVerify: false); the stream is encrypted, "
                + "but anyone on the network path can pose as the camera",
            name);
      }
      ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      listener.setSoTimeout(millis);
      RtspsRelay relay = new RtspsRelay(socket, listener, name);
      Thread.ofPlatform().daemon().name("rtsps-relay-" + name).start(relay::serve);
      return relay;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** The loopback port FFmpeg connects to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Why the relay ended the connection, when it was its own decision (null otherwise). */
  public String failure() {
    return failure;
  }

  private void serve() {
    try (listener) {
      Socket c = acceptOne();
      if (c == null) {
        return;
      }
      client = c;
      c.setTcpNoDelay(true);
      Thread.ofPlatform().daemon().name("rtsps-relay-up-" + name).start(() -> copyToCamera(c));
      copyToClient(c);
    } catch (IOException e) {
      // the listener failed or closed: close() below ends the rest
    } finally {
      close();
    }
  }

  /**
   * The one connection this relay serves, from this host; null when none came in time or closed.
   */
  private Socket acceptOne() throws IOException {
    while (!closed) {
      Socket c;
      try {
        c = listener.accept();
      } catch (SocketTimeoutException e) {
        failure = "FFmpeg did not connect to the TLS relay in time";
        return null;
      }
      if (c.getInetAddress().isLoopbackAddress()) {
        listener.close(); // one connection only
        return c;
      }
      c.close();
    }
    return null;
  }

  private void copyToClient(Socket c) {
    try {
      new RtspRedirectGuard(camera.getInputStream(), c.getOutputStream()).run();
    } catch (RtspRedirectGuard.RedirectRefusedException e) {
      failure = e.getMessage();
    } catch (SocketTimeoutException e) {
      failure = "the camera sent nothing for " + readTimeoutMillis() + " ms";
    } catch (IOException e) {
      // one side went away
    } finally {
      close();
    }
  }

  private void copyToCamera(Socket c) {
    try {
      copy(c.getInputStream(), camera.getOutputStream());
    } catch (IOException e) {
      // one side went away
    } finally {
      close();
    }
  }

  private int readTimeoutMillis() {
    try {
      return camera.getSoTimeout();
    } catch (IOException e) {
      return -1;
    }
  }

  static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[BUFFER];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
      out.flush();
    }
  }

  private static boolean isAddress(String host) {
    return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  /** Closes the listener and both connections; idempotent. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    closeQuietly(client);
    closeQuietly(camera);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
