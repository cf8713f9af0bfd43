package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.auth.FailureLimiter;
import io.camflow.delivery.http.TlsIdentity;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.it.MediaFeed;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.rtsp.RtspServerIT.Run;
import io.camflow.delivery.sessions.ViewerLimits;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.StreamKey;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.ToolTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RTSPS (docs/rtsp.md, "RTSPS"): the RTSP server with a self-signed {@link TlsIdentity}, over a
 * real local Kafka as in {@link RtspServerIT}, read by ffprobe and GStreamer's {@code rtspsrc} over
 * TLS; the certificate presented is the identity's, a UDP SETUP is refused (media would go in the
 * clear), plain text on the RTSPS port gets no RTSP answer, a connection that never starts its
 * handshake is closed, and the plain port goes on.
 */
class RtspsIT {

  static final LocalKafka KAFKA = LocalKafka.shared();
  static final StreamKey KEY = new StreamKey("rtspsit", "main");

  static Path tlsDir;
  static TlsIdentity identity;
  static ScheduledExecutorService scheduler;
  static StreamHubs hubs;
  static RtspServer server;
  static MediaFeed feed;

  @BeforeAll
  static void start() throws Exception {
    RtspServerIT.createTopics(KEY);
    feed =
        new MediaFeed(
                KAFKA.bootstrapServers(),
                KEY.mediaTopic(),
                EncodedStream.h264(4, 50, 640, 360),
                "s1")
            .start();
    tlsDir = Files.createTempDirectory("camflow-rtsps-it");
    identity = TlsIdentity.selfSigned(tlsDir);
    scheduler = Executors.newScheduledThreadPool(2);
    hubs = new StreamHubs(DeliverySettings.defaults(KAFKA.bootstrapServers()), scheduler);
    Access access =
        new Access(
            AuthSettings.off(),
            null,
            new FailureLimiter(100, Duration.ofMinutes(1), System::nanoTime),
            scheduler);
    server =
        RtspServer.start(
            RtspSettings.on(0),
            new InetSocketAddress("127.0.0.1", 0),
            hubs,
            access,
            new ViewerSessions(new ViewerLimits(20, 20)),
            null,
            new RtspTls(identity.context(), identity.fingerprint()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (feed.written() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (hubs != null) {
      hubs.close();
    }
    if (feed != null) {
      feed.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (tlsDir != null) {
      try (var files = Files.walk(tlsDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static String url(String scheme, int port) {
    return scheme + "://127.0.0.1:" + port + "/" + KEY.camera() + "/" + KEY.stream();
  }

  static Run probe(String url) throws Exception {
    return RtspServerIT.run(
        "/usr/bin/ffprobe",
        "-v",
        "error",
        "-rtsp_transport",
        "tcp",
        "-select_streams",
        "v:0",
        "-show_entries",
        "stream=codec_name,width",
        "-of",
        "csv=p=0",
        url);
  }

  @Test
  void ffprobeReadsItOverRtspsAndThePlainPortGoesOn() throws Exception {
    assertTrue(server.rtspsPort() > 0 && server.rtspsPort() != server.port());
    Run tls = probe(url("rtsps", server.rtspsPort()));
    assertEquals(0, tls.exit(), "rtsps: " + tls.err());
    assertEquals("h264,640", tls.out().strip(), "rtsps: " + tls.err());
    Run plain = probe(url("rtsp", server.port()));
    assertEquals(0, plain.exit(), "rtsp: " + plain.err());
    assertEquals("h264,640", plain.out().strip(), "rtsp: " + plain.err());
  }

  @Test
  void theRtspsPortPresentsTheIdentitysCertificateAndAnswersRtspInsideTls() throws Exception {
    try (SSLSocket s = trustingAnyCertificate(server.rtspsPort())) {
      s.startHandshake();
      X509Certificate presented = (X509Certificate) s.getSession().getPeerCertificates()[0];
      assertArrayEquals(identity.certificate().getEncoded(), presented.getEncoded());
      String options =
          exchange(
              s, "OPTIONS " + url("rtsps", server.rtspsPort()) + " RTSP/1.0\r\nCSeq: 1\r\n\r\n");
      assertTrue(options.startsWith("RTSP/1.0 200"), options);
      assertTrue(options.contains("DESCRIBE"), options);
    }
  }

  @Test
  void aUdpSetupOverRtspsIsAnswered461AndInterleavedGoesOn() throws Exception {
    String url = url("rtsps", server.rtspsPort());
    try (SSLSocket s = trustingAnyCertificate(server.rtspsPort())) {
      String describe = exchange(s, "DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\n\r\n");
      assertTrue(describe.startsWith("RTSP/1.0 200"), describe);
      String udp =
          exchange(
              s,
              "SETUP "
                  + url
                  + "/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
                  + "Transport: RTP/AVP;unicast;client_port=50000-50001\r\n\r\n");
      assertTrue(udp.startsWith("RTSP/1.0 461"), "media in the clear beside TLS: " + udp);
      assertTrue(udp.contains(RtspServer.INTERLEAVED_OVER_TLS), udp);
      String tcp =
          exchange(
              s,
              "SETUP "
                  + url
                  + "/trackID=0 RTSP/1.0\r\nCSeq: 3\r\n"
                  + "Transport: RTP/AVP;unicast;client_port=50000-50001,"
                  + "RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
      assertTrue(tcp.startsWith("RTSP/1.0 200"), tcp);
      assertTrue(
          tcp.toLowerCase(Locale.ROOT).contains("\ntransport: rtp/avp/tcp;unicast;interleaved=0-1"),
          tcp);
    }
  }

  @Test
  void plainTextOnTheRtspsPortGetsNoRtspAnswer() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.rtspsPort())) {
      s.setSoTimeout(15_000);
      s.getOutputStream()
          .write(
              ("OPTIONS " + url("rtsp", server.rtspsPort()) + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String got = new String(untilClosed(s.getInputStream()), StandardCharsets.ISO_8859_1);
      assertFalse(got.contains("RTSP/1.0"), "an RTSP answer in the clear: " + got);
    }
  }

  @Test
  void aConnectionThatNeverStartsItsHandshakeIsClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.rtspsPort())) {
      s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(RtspServer.HANDSHAKE_SECONDS + 10));
      long t0 = System.nanoTime();
      assertEquals(0, untilClosed(s.getInputStream()).length, "nothing sent");
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      assertTrue(
          seconds >= RtspServer.HANDSHAKE_SECONDS - 1
              && seconds <= RtspServer.HANDSHAKE_SECONDS + 5,
          "closed after " + seconds + " s");
    }
  }

  @Test
  void gstreamersRtspsrcReadsItOverRtsps() throws Exception {
    Run gst =
        RtspServerIT.run(
            "gst-launch-1.0",
            "-q",
            "rtspsrc",
            "location=" + url("rtsps", server.rtspsPort()),
            "tls-validation-flags=0", // the self-signed certificate
            "protocols=tcp",
            "latency=0",
            "!",
            "rtph264depay",
            "!",
            "h264parse",
            "!",
            "fakesink",
            "num-buffers=50");
    assertEquals(
        0,
        gst.exit(),
        "gst-launch-1.0 read 50 frames over rtsps ("
            + ToolTable.load().find(ToolTable.Kind.GST_ELEMENT, "rtspsrc").orElseThrow()
            + "): "
            + gst.err()
            + gst.out());
  }

  /** A TLS client that accepts any certificate: the test compares it with the identity's. */
  static SSLSocket trustingAnyCertificate(int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String type) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String type) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    s.setSoTimeout(20_000);
    return s;
  }

  /** Sends a request and reads its response, head and body (no media is playing). */
  static String exchange(SSLSocket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed mid-response: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    Matcher length = Pattern.compile("(?i)\r\nContent-Length: *(\\d+)").matcher(text);
    byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
    return text + new String(body, StandardCharsets.UTF_8);
  }

  /** Everything the server sends until it closes the connection (a reset counts as closing). */
  static byte[] untilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        got.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // closed with a reset
    }
    return got.toByteArray();
  }
}
