package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.http.HttpSettings;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.testsupport.EncodedStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP port's connections against raw socket clients, real Kafka behind (docs/delivery.md,
 * "Connections"): a client that sends nothing, one that sends a request a byte at a time, one that
 * never reads what it asked for, ten thousand pipelined requests that are not read, oversize
 * requests; and what must keep working past the idle timeout — a held LL-HLS request, an MSE
 * WebSocket on a stream with no media. Two instances: {@code strict} with 2–3 s timeouts, {@code
 * patient} with the defaults. Bounds are generous; lower bounds are ones no busy machine can
 * undercut (nothing closes a connection before its timeout).
 */
class HttpConnectionsIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final String LIVE = "camflow.cmaf.httpit.main";

  /** A stream whose topic exists but has no record yet: its first playlist request waits 10 s. */
  static final String QUIET = "camflow.cmaf.httpit.quiet";

  static final HttpSettings STRICT =
      new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3));
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static final List<CamelContext> contexts = new ArrayList<>();
  static final List<DeliveryService> services = new ArrayList<>();
  static CmafFeed feed;
  static int strict;
  static int patient;

  @BeforeAll
  static void start() throws Exception {
    DeliveryIT.createTopics(LIVE, QUIET, "camflow.demand");
    feed = new CmafFeed(KAFKA.bootstrapServers(), LIVE, EncodedStream.h264(10, 25, 320, 240));
    feed.start();
    strict = startDelivery(STRICT);
    patient = startDelivery(HttpSettings.defaults());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (feed.segmentsWritten < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  static int startDelivery(HttpSettings http) throws Exception {
    int p;
    try (ServerSocket s = new ServerSocket(0)) {
      p = s.getLocalPort();
    }
    DeliveryService service =
        new DeliveryService(
                DeliverySettings.defaults(KAFKA.bootstrapServers()),
                p,
                CorsPolicy.none(),
                AuthSettings.off(),
                null,
                ROUTES)
            .http(http);
    CamelContext ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    contexts.add(ctx);
    services.add(service);
    return p;
  }

  @AfterAll
  static void stop() throws Exception {
    contexts.forEach(CamelContext::stop);
    services.forEach(DeliveryService::close);
    if (feed != null) {
      feed.close();
    }
  }

  // ---- clients ----

  static Socket raw(int port) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096); // before connect: the window the server sees stays small
    s.setSoTimeout(30_000);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A meter's value in delivery's Prometheus text; 0 if absent. */
  static double meter(int port, String prefix) throws Exception {
    String text = get(port, "/metrics").body();
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static String closed(String reason) {
    return "camflow_delivery_http_closed_total{reason=\"" + reason + "\"";
  }

  /** Reads until the server closes the connection; what was read. Fails if it stays open 30 s. */
  static byte[] untilClosed(Socket s) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        all.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the server did not close the connection within 30 s; read " + all.size() + " bytes");
    } catch (IOException reset) {
      // closed with a reset: closed all the same
    }
    return all.toByteArray();
  }

  static long millisSince(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  static String newestSegment() throws Exception {
    Matcher m =
        Pattern.compile("\\n(seg-\\d+\\.m4s)")
            .matcher(get(patient, "/live/httpit/main/index.m3u8").body());
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    assertTrue(last != null, "the playlist lists a segment");
    return last;
  }

  // ---- timeouts ----

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
    double before = meter(strict, closed("idle"));
    long t0 = System.nanoTime();
    try (Socket s = raw(strict)) {
      assertEquals(0, untilClosed(s).length, "closed without a word");
    }
    assertTrue(
        millisSince(t0) >= STRICT.idleTimeout().toMillis(),
        "not before the idle timeout: " + millisSince(t0));
    assertTrue(meter(strict, closed("idle")) > before, "counted as idle");
  }

  @Test
  void aKeptAliveConnectionIsClosedWhenIdleAfterItsAnswer() throws Exception {
    try (Socket s = raw(strict)) {
      s.getOutputStream()
          .write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      long t0 = System.nanoTime();
      String answer = new String(untilClosed(s), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(
          millisSince(t0) >= STRICT.idleTimeout().toMillis() - 100,
          "kept alive until idle: " + millisSince(t0));
    }
  }

  @Test
  void aRequestThatDoesNotArriveWholeIsClosedAfterTheReadTimeout() throws Exception {
    double before = meter(strict, closed("read"));
    try (Socket s = raw(strict)) {
      OutputStream out = s.getOutputStream();
      out.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      long t0 = System.nanoTime();
      Thread dribble =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (int i = 0;
                          i < 150;
                          i++) { // a byte every 200 ms: never idle, never whole
                        out.write('a');
                        out.flush();
                        Thread.sleep(200);
                      }
                    } catch (IOException | InterruptedException closed) {
                      // the server closed the connection
                    }
                  });
      assertEquals(0, untilClosed(s).length, "no answer to half a request");
      assertTrue(
          millisSince(t0) >= STRICT.readTimeout().toMillis() - 100, "not before the read timeout");
      dribble.interrupt();
    }
    assertTrue(meter(strict, closed("read")) > before, "counted as read");
  }

  @Test
  void aClientThatNeverReadsIsClosedAfterTheWriteTimeout() throws Exception {
    double before = meter(strict, closed("write"));
    String segment = "GET /live/httpit/main/" + newestSegment() + " HTTP/1.1\r\nHost: x\r\n\r\n";
    try (Socket s = raw(strict)) {
      OutputStream out = s.getOutputStream();
      Thread asking =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < 5000; i++) { // far more than the socket buffers take
                        out.write(segment.getBytes(StandardCharsets.US_ASCII));
                      }
                    } catch (IOException closed) {
                      // the server closed the connection
                    }
                  });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (meter(strict, closed("write")) <= before && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(
          meter(strict, closed("write")) > before, "the connection that takes nothing is closed");
      asking.interrupt();
    }
  }

  // ---- one request at a time, and backpressure ----

  @Test
  void tenThousandPipelinedRequestsOfAClientThatDoesNotReadStayBoundedAndAreAllAnsweredInOrder()
      throws Exception {
    String request = "GET /live/httpit/main/index.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n";
    int count = 10_000;
    long bytesBefore = sessionBytes(patient);
    long bound =
        8L * 1024
            * 1024; // the sockets' buffers (4 MiB at most here) + the high water mark + one answer
    try (Socket s = raw(patient)) {
      OutputStream out = s.getOutputStream();
      Thread asking =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      out.write(request.repeat(count).getBytes(StandardCharsets.US_ASCII));
                      out.flush();
                    } catch (IOException closed) {
                      // checked below
                    }
                  });
      // delivery answers what the socket takes, then stops reading: the answers it made stay
      // bounded
      long answered = 0;
      long stableSince = System.nanoTime();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && millisSince(stableSince) < 3000) {
        long now = sessionBytes(patient) - bytesBefore;
        assertTrue(
            now <= bound,
            "delivery made " + now + " bytes of answers for a client that reads nothing");
        if (now != answered) {
          answered = now;
          stableSince = System.nanoTime();
        }
        Thread.sleep(200);
      }
      double queued = meter(patient, "camflow_delivery_http_outbound_bytes");
      System.out.printf(
          "HttpConnectionsIT: %d bytes of answers made, %.0f queued in delivery%n",
          answered, queued);
      assertTrue(queued <= 1024 * 1024, "queued " + queued);
      assertEquals(
          200, get(patient, "/healthz").statusCode(), "another client is served meanwhile");

      // and once the client reads, every request is answered, in order
      InputStream in = s.getInputStream();
      int ok = 0;
      for (int i = 0; i < count; i++) {
        String head = readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 200"), "answer " + i + ": " + head);
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertTrue(length.find(), head);
        in.readNBytes(Integer.parseInt(length.group(1)));
        ok++;
      }
      assertEquals(count, ok);
      asking.join(10_000);
    }
  }

  /**
   * The bytes of the answers made for this machine's HLS session of httpit/main (/api/v1/sessions).
   */
  static long sessionBytes(int port) throws Exception {
    Matcher m =
        Pattern.compile("\"bytes\":(\\d+)")
            .matcher(get(port, "/api/v1/sessions?camera=httpit&stream=main").body());
    long n = 0;
    while (m.find()) {
      n += Long.parseLong(m.group(1));
    }
    return n;
  }

  static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed in a response head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  // ---- what must outlive the idle timeout ----

  @Test
  void aHeldRequestOutlivesTheIdleTimeout() throws Exception {
    try (Socket s = raw(strict)) {
      long t0 = System.nanoTime();
      s.getOutputStream()
          .write(
              "GET /live/httpit/quiet/index.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String head = readHead(s.getInputStream());
      assertTrue(
          millisSince(t0) > 2 * STRICT.idleTimeout().toMillis(), "held past the idle timeout");
      assertTrue(head.startsWith("HTTP/1.1 503"), "the start wait's answer: " + head);
    }
  }

  @Test
  void anMseWebSocketWithNoMediaStaysOpenAnsweringPings() throws Exception {
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    AtomicInteger pings = new AtomicInteger();
    WebSocket ws =
        HTTP.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + strict + "/live/httpit/quiet/mse"),
                new WebSocket.Listener() {
                  @Override
                  public void onOpen(WebSocket w) {
                    w.request(Long.MAX_VALUE);
                  }

                  @Override
                  public CompletionStage<?> onPing(WebSocket w, ByteBuffer message) {
                    pings.incrementAndGet(); // java.net.http answers with a pong
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                    closed.complete(code);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    ws.sendText("{\"type\":\"play\",\"codecs\":[\"avc1.64001f\"]}", true);
    long t0 = System.nanoTime();
    while (millisSince(t0) < 4 * STRICT.idleTimeout().toMillis()) {
      assertFalse(closed.isDone(), "closed after " + millisSince(t0) + " ms");
      Thread.sleep(100);
    }
    assertTrue(pings.get() >= 2, "pinged every third of the idle timeout: " + pings.get());
    ws.abort();
  }

  @Test
  void aWebSocketThatAnswersNoPingIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket s = raw(strict)) {
      OutputStream out = s.getOutputStream();
      String key =
          Base64.getEncoder()
              .encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
      out.write(
          ("GET /live/httpit/quiet/mse HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: "
                  + key
                  + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      String head = readHead(s.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      long t0 = System.nanoTime();
      byte[] after = untilClosed(s); // reads everything, answers nothing
      assertTrue(
          millisSince(t0) >= STRICT.idleTimeout().toMillis() - 100, "not before the idle timeout");
      assertTrue(indexOf(after, (byte) 0x89) >= 0, "pinged before being closed");
    }
  }

  static int indexOf(byte[] b, byte v) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  // ---- sizes ----

  @Test
  void oversizeRequestsAreRefusedWithTheirStatusAndClosed() throws Exception {
    try (Socket s = raw(patient)) {
      s.getOutputStream()
          .write(
              ("GET /live/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(untilClosed(s), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 414"), answer);
    }
    try (Socket s = raw(patient)) {
      s.getOutputStream()
          .write(
              ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(untilClosed(s), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
    }
    try (Socket s = raw(patient)) {
      byte[] body = new byte[200_000];
      s.getOutputStream()
          .write(
              ("POST /api/v1/cameras HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "Content-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      try {
        s.getOutputStream().write(body);
      } catch (IOException refused) {
        // the server may close before taking it all
      }
      String head = readHead(s.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 413"), head);
    }
    assertEquals(200, get(patient, "/healthz").statusCode());
  }
}
