package io.camflow.ingest.source.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS relay against in-process TLS servers: what it trusts (default, CA file, pin, opt-out),
 * what it refuses (self-signed, another host name, another pinned certificate, a redirect) and its
 * bounds (handshake time, accept time, one loopback connection, camera silence).
 */
class RtspsRelayTest {

  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final String OPTIONS = "OPTIONS rtsp://127.0.0.1/main RTSP/1.0\r\nCSeq: 1\r\n\r\n";
  static final String REPLY = "RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 4\r\n\r\nbody";

  static TestPki pki;

  @BeforeAll
  static void pki() throws Exception {
    pki = TestPki.create();
  }

  /** A TLS camera that answers one request with {@link #REPLY} (or {@code reply}), then waits. */
  static final class FakeCamera implements AutoCloseable {
    final SSLServerSocket server;
    final CompletableFuture<String> request = new CompletableFuture<>();

    FakeCamera(TestPki.Issued cert, String reply) throws Exception {
      server = cert.serverSocket();
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                  s.startHandshake();
                  byte[] buf = new byte[OPTIONS.length()];
                  new java.io.DataInputStream(s.getInputStream()).readFully(buf);
                  request.complete(new String(buf, StandardCharsets.ISO_8859_1));
                  s.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
                  s.getOutputStream().flush();
                  s.getInputStream().read(); // until the relay closes
                } catch (IOException e) {
                  request.completeExceptionally(e);
                }
              });
    }

    FakeCamera(TestPki.Issued cert) throws Exception {
      this(cert, REPLY);
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /**
   * Sends {@link #OPTIONS} through the relay and returns what comes back until the relay closes.
   */
  static String exchange(RtspsRelay relay) throws IOException {
    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
      c.setSoTimeout(5000);
      c.getOutputStream().write(OPTIONS.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = c.getInputStream();
      byte[] reply = new byte[REPLY.length()];
      int n = in.readNBytes(reply, 0, reply.length);
      return new String(reply, 0, n, StandardCharsets.ISO_8859_1);
    }
  }

  static RtspsRelay open(int port, CameraTls tls) throws IOException {
    return RtspsRelay.open("127.0.0.1", port, tls, TIMEOUT, TIMEOUT);
  }

  @Test
  void aSelfSignedCameraIsRefusedByDefaultWithAReason() throws Exception {
    try (FakeCamera camera = new FakeCamera(pki.selfSigned("127.0.0.1"))) {
      CertificateRefusedException e =
          assertThrows(
              CertificateRefusedException.class, () -> open(camera.port(), CameraTls.VERIFY));
      assertEquals(HandshakeFailures.UNTRUSTED, e.getMessage());
    }
  }

  @Test
  void aCameraCertificateFromTheConfiguredCaIsTrustedAndBytesFlowBothWays() throws Exception {
    try (FakeCamera camera = new FakeCamera(pki.issue("127.0.0.1"));
        RtspsRelay relay = open(camera.port(), new CameraTls(true, pki.caFile(), null))) {
      assertEquals(REPLY, exchange(relay));
      assertEquals(OPTIONS, camera.request.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void withoutTheCaFileTheSameCameraIsRefused() throws Exception {
    try (FakeCamera camera = new FakeCamera(pki.issue("127.0.0.1"))) {
      assertThrows(CertificateRefusedException.class, () -> open(camera.port(), CameraTls.VERIFY));
    }
  }

  @Test
  void aCertificateForAnotherHostNameIsRefused() throws Exception {
    try (FakeCamera camera = new FakeCamera(pki.issue("camera.example"))) {
      CertificateRefusedException e =
          assertThrows(
              CertificateRefusedException.class,
              () -> open(camera.port(), new CameraTls(true, pki.caFile(), null)));
      assertTrue(e.getMessage().startsWith("certificate not issued for 127.0.0.1"), e.getMessage());
    }
  }

  @Test
  void thePinnedCertificateIsAcceptedWhateverItsNameAndAnotherIsRefused() throws Exception {
    TestPki.Issued cert = pki.selfSigned("camera.example");
    try (FakeCamera camera = new FakeCamera(cert);
        RtspsRelay relay = open(camera.port(), new CameraTls(true, null, cert.fingerprint()))) {
      assertEquals(REPLY, exchange(relay));
    }
    try (FakeCamera camera = new FakeCamera(pki.selfSigned("camera.example"))) {
      CertificateRefusedException e =
          assertThrows(
              CertificateRefusedException.class,
              () -> open(camera.port(), new CameraTls(true, null, cert.fingerprint())));
      assertTrue(e.getMessage().startsWith("certificate fingerprint is sha256:"), e.getMessage());
      assertFalse(
          e.getMessage().contains(cert.fingerprint()),
          "names the camera's fingerprint, not the pinned one");
    }
  }

  @Test
  void theOptOutAcceptsASelfSignedCameraAndStillEncrypts() throws Exception {
    try (FakeCamera camera = new FakeCamera(pki.selfSigned("camera.example"));
        RtspsRelay relay = open(camera.port(), new CameraTls(false, null, null))) {
      assertEquals(REPLY, exchange(relay));
    }
  }

  @Test
  void aServerThatNeverCompletesTheHandshakeFailsWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try (Socket s = silent.accept()) {
                  s.getInputStream().read(); // reads the ClientHello's first byte, answers nothing
                  Thread.sleep(10_000);
                } catch (Exception ignored) {
                  // closed by the test
                }
              });
      long start = System.nanoTime();
      assertThrows(
          SocketTimeoutException.class,
          () ->
              RtspsRelay.open(
                  "127.0.0.1",
                  silent.getLocalPort(),
                  CameraTls.VERIFY,
                  Duration.ofMillis(500),
                  TIMEOUT));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms >= 400 && ms < 3000, "gave up after the handshake timeout: " + ms + " ms");
    }
  }

  @Test
  void itListensOnLoopbackAndServesOneConnectionOnly() throws Exception {
    try (FakeCamera camera = new FakeCamera(pki.issue("127.0.0.1"));
        RtspsRelay relay = open(camera.port(), new CameraTls(true, pki.caFile(), null));
        Socket first = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
      first.getOutputStream().write(OPTIONS.getBytes(StandardCharsets.ISO_8859_1));
      assertEquals(
          OPTIONS, camera.request.get(5, TimeUnit.SECONDS), "the first connection is relayed");
      assertThrows(
          ConnectException.class,
          () -> new Socket(InetAddress.getLoopbackAddress(), relay.port()).close(),
          "the listener is gone once the one connection came");
    }
  }

  @Test
  void whenFfmpegNeverConnectsTheListenerClosesAfterTheTimeout() throws Exception {
    try (FakeCamera camera = new FakeCamera(pki.issue("127.0.0.1"));
        RtspsRelay relay =
            RtspsRelay.open(
                "127.0.0.1",
                camera.port(),
                new CameraTls(true, pki.caFile(), null),
                Duration.ofMillis(300),
                TIMEOUT)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (relay.failure() == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertNotNull(relay.failure());
      assertTrue(relay.failure().contains("did not connect"), relay.failure());
      assertThrows(
          ConnectException.class,
          () -> new Socket(InetAddress.getLoopbackAddress(), relay.port()).close());
    }
  }

  @Test
  void aSilentCameraEndsTheRelayAfterTheIdleTime() throws Exception {
    try (FakeCamera camera = new FakeCamera(pki.issue("127.0.0.1"), "");
        RtspsRelay relay =
            RtspsRelay.open(
                "127.0.0.1",
                camera.port(),
                new CameraTls(true, pki.caFile(), null),
                TIMEOUT,
                Duration.ofMillis(400));
        Socket c = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
      c.getOutputStream().write(OPTIONS.getBytes(StandardCharsets.ISO_8859_1));
      c.setSoTimeout(5000);
      long start = System.nanoTime();
      assertEquals(-1, c.getInputStream().read(), "the relay closes FFmpeg's side");
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3000);
      assertTrue(relay.failure().contains("sent nothing"), relay.failure());
    }
  }

  @Test
  void aRedirectIsNotPassedOnAndEndsTheConnection() throws Exception {
    String redirect =
        "RTSP/1.0 302 Moved Temporarily\r\nCSeq: 1\r\nLocation: rtsp://192.0.2.66/main\r\n\r\n";
    try (FakeCamera camera = new FakeCamera(pki.issue("127.0.0.1"), redirect);
        RtspsRelay relay = open(camera.port(), new CameraTls(true, pki.caFile(), null))) {
      assertEquals(
          "", exchange(relay), "FFmpeg never sees the redirect, only the end of the connection");
      assertTrue(relay.failure().contains("does not follow redirects"), relay.failure());
    }
  }

  @Test
  void interleavedFramesAndMessagesWithBodiesPassUnchanged() throws Exception {
    java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
    stream.writeBytes(
        "RTSP/1.0 200 OK\r\nCSeq: 2\r\ncontent-length: 5\r\n\r\n$abcd"
            .getBytes(StandardCharsets.ISO_8859_1));
    byte[] rtp = new byte[70_000 % 65_536];
    new java.util.Random(1).nextBytes(rtp);
    stream.writeBytes(new byte[] {'$', 0, (byte) (rtp.length >> 8), (byte) rtp.length});
    stream.writeBytes(rtp);
    stream.writeBytes(
        "GET_PARAMETER rtsp://x/ RTSP/1.0\r\nCSeq: 9\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    stream.writeBytes(new byte[] {'$', 1, 0, 0});
    byte[] in = stream.toByteArray();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    new RtspRedirectGuard(new java.io.ByteArrayInputStream(in), out).run();
    assertArrayEquals(in, out.toByteArray());
  }

  @Test
  void aHeaderThatNeverEndsIsBounded() {
    byte[] junk = new byte[RtspRedirectGuard.MAX_HEADER_BYTES + 10];
    java.util.Arrays.fill(junk, (byte) 'x');
    OutputStream sink = OutputStream.nullOutputStream();
    assertThrows(
        RtspRedirectGuard.RedirectRefusedException.class,
        () -> new RtspRedirectGuard(new java.io.ByteArrayInputStream(junk), sink).run());
  }
}
