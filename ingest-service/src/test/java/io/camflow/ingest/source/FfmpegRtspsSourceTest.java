package io.camflow.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.ingest.source.tls.CameraTls;
import io.camflow.ingest.source.tls.TestPki;
import io.camflow.registry.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FFmpeg through the TLS relay against a scripted RTSPS camera: the camera's absolute {@code
 * rtsps://<camera>/...} Content-Base and control URLs stay on the relay's one connection, and a
 * redirect is never followed (FFmpeg would take the credentials to the new address).
 */
class FfmpegRtspsSourceTest {

  static final String PASSWORD = "Pw-a7c1e9";
  static final String SDP =
      "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n"
          + "a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0IAHpWoKA9k,aM48gA==\r\n"
          + "a=control:trackID=0\r\n";

  static TestPki.Issued cert;

  @BeforeAll
  static void pki() throws Exception {
    cert = TestPki.create().selfSigned("camera.example");
  }

  /** An RTSPS camera that answers each request from a script and records the request lines. */
  static final class ScriptedCamera implements AutoCloseable {
    final SSLServerSocket server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final String redirectTo;

    ScriptedCamera(String redirectTo) throws Exception {
      this.redirectTo = redirectTo;
      server = cert.serverSocket();
      Thread.ofPlatform().daemon().start(this::serve);
    }

    private void serve() {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.incrementAndGet();
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
          OutputStream out = s.getOutputStream();
          String line;
          while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
              continue;
            }
            String request = line;
            String cseq = "0";
            while (!(line = in.readLine()).isEmpty()) {
              if (line.regionMatches(true, 0, "CSeq:", 0, 5)) {
                cseq = line.substring(5).strip();
              }
            }
            requests.add(request);
            out.write(
                answer(request.substring(0, request.indexOf(' ')), cseq)
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
          }
        } catch (IOException e) {
          // closed
        }
      }
    }

    private String answer(String method, String cseq) {
      String head = "RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\n";
      return switch (method) {
        case "OPTIONS" -> head + "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n";
        case "DESCRIBE" ->
            redirectTo != null
                ? "RTSP/1.0 302 Moved Temporarily\r\nCSeq: "
                    + cseq
                    + "\r\nLocation: "
                    + redirectTo
                    + "\r\n\r\n"
                : head
                    + "Content-Base: rtsps://camera.example:322/main/\r\nContent-Type: application/sdp\r\n"
                    + "Content-Length: "
                    + SDP.length()
                    + "\r\n\r\n"
                    + SDP;
        case "SETUP" ->
            head
                + "Session: 4711;timeout=60\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n";
        case "PLAY", "TEARDOWN" -> head + "Session: 4711\r\n\r\n";
        default -> "RTSP/1.0 405 Method Not Allowed\r\nCSeq: " + cseq + "\r\n\r\n";
      };
    }

    SourceAddress address() {
      return new SourceAddress(
          URI.create("rtsps://127.0.0.1:" + server.getLocalPort() + "/main"),
          "admin",
          PASSWORD,
          new CameraTls(true, null, cert.fingerprint()));
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @Test
  void absoluteRtspsControlUrlsOfTheCameraStayOnTheRelayedConnection() throws Exception {
    try (ScriptedCamera camera = new ScriptedCamera(null);
        FfmpegRtspSource source =
            new FfmpegRtspSource(camera.address(), Transport.UDP, Duration.ofSeconds(5))) {
      List<Track> tracks = source.open();
      assertEquals(1, tracks.size());
      List<String> r = camera.requests;
      assertTrue(
          r.get(0).matches("OPTIONS rtsp://127\\.0\\.0\\.1:\\d+/main RTSP/1\\.0"), r.toString());
      assertTrue(
          r.get(1).matches("DESCRIBE rtsp://127\\.0\\.0\\.1:\\d+/main RTSP/1\\.0"), r.toString());
      assertEquals(
          "SETUP rtsps://camera.example:322/main/trackID=0 RTSP/1.0",
          r.get(2),
          "the camera's own URL: " + r);
      assertEquals("PLAY rtsps://camera.example:322/main/ RTSP/1.0", r.get(3));
      assertEquals(1, camera.connections.get(), "one TLS connection carried everything");
    }
  }

  @Test
  void aRedirectIsNotFollowedAndTheErrorSaysSo() throws Exception {
    try (ServerSocket trap = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        ScriptedCamera camera =
            new ScriptedCamera("rtsp://127.0.0.1:" + trap.getLocalPort() + "/main");
        FfmpegRtspSource source =
            new FfmpegRtspSource(camera.address(), Transport.TCP, Duration.ofSeconds(5))) {
      ConnectFailedException e = assertThrows(ConnectFailedException.class, source::open);
      assertTrue(e.getMessage().contains("does not follow redirects"), e.getMessage());
      assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
      trap.setSoTimeout(500);
      assertThrows(
          SocketTimeoutException.class,
          trap::accept,
          "nothing went to the address the camera redirected to");
    }
  }
}
