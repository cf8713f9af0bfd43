package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.mse.MseMessages;
import io.camflow.delivery.mse.MseSettings;
import io.camflow.delivery.mse.MseViewer;
import io.camflow.delivery.sessions.ViewerLimits;
import io.camflow.kafka.LocalKafka;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.Tokens;
import io.camflow.media.AccessUnit;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.MseSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSocket/MSE against the real broker and the real local Keycloak: a 4 s GOP H.264 clip (640x360,
 * 1.5 Mbit/s) packaged into {@code camflow.cmaf.demo.msetest} at camera pace; refusals before the
 * upgrade, the start at the latest keyframe, and 100 viewers with one that never reads.
 */
class MseIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final LocalKeycloak KC = LocalKeycloak.shared();
  static final String TOPIC = "camflow.cmaf.demo.msetest";
  static final int GOP = 100;

  /**
   * Small enough that a stuck viewer overflows within seconds, big enough for a GOP burst; the
   * hundred viewers are one user, so that user's share is no limit here.
   */
  static final MseSettings MSE =
      MseSettings.defaults()
          .withQueue(1024 * 1024, 300)
          .withSendBuffer(64 * 1024)
          .withLimits(ViewerLimits.defaults().withShares(0, 0));

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static List<AccessUnit> clip;
  static CmafFeed feed;
  static CamelContext ctx;
  static DeliveryService service;
  static int port;
  static String viewer;
  static String outsider;

  @BeforeAll
  static void start() throws Exception {
    DeliveryIT.createTopics(TOPIC, "camflow.demand");
    clip = EncodedStream.h264("testsrc2=size=640x360:rate=25", 8, GOP, "-b:v", "1500k");
    feed = new CmafFeed(KAFKA.bootstrapServers(), TOPIC, clip);
    feed.start();
    viewer = Tokens.accessToken(KC, "viewer", "viewer");
    outsider = Tokens.accessToken(KC, "outsider", "outsider");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    service =
        new DeliveryService(
            DeliverySettings.defaults(KAFKA.bootstrapServers()).withMse(MSE),
            port,
            CorsPolicy.none(),
            AuthSettings.keycloak(KC.issuer()),
            null,
            ROUTES);
    ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (feed.segmentsWritten < 1 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (ctx != null) {
      ctx.stop();
    }
    if (service != null) {
      service.close();
    }
    if (feed != null) {
      feed.close();
    }
  }

  static URI uri(String stream, String token) {
    return URI.create(
        "ws://127.0.0.1:"
            + port
            + "/live/demo/"
            + stream
            + "/mse"
            + (token == null ? "" : "?access_token=" + token));
  }

  static int refusal(URI uri) {
    try {
      MseClient c = MseClient.open(HTTP, uri, null, 0).join();
      c.close();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
  }

  @Test
  void refusalsArePlainHttpBeforeTheUpgrade() {
    assertEquals(401, refusal(uri("msetest", null)), "no token");
    assertEquals(401, refusal(uri("msetest", "not-a-jwt")), "garbage token");
    assertEquals(403, refusal(uri("msetest", outsider)), "no permission on camera demo");
    assertEquals(
        403,
        refusal(
            URI.create("ws://127.0.0.1:" + port + "/live/garage/main/mse?access_token=" + viewer)),
        "another camera");
    assertEquals(
        404,
        refusal(uri("nosuchstream", viewer)),
        "unknown stream, for a caller who may see the camera");
    assertEquals(
        404,
        refusal(
            URI.create(
                "ws://127.0.0.1:" + port + "/live/demo/msetest/x/mse?access_token=" + viewer)));
  }

  @Test
  void startsWithTheInitAndTheGopFromItsKeyframeThenLiveInOrder() throws Exception {
    MseClient c = MseClient.open(HTTP, uri("msetest", null), viewer, 400).get(10, TimeUnit.SECONDS);
    try {
      long firstMillis = c.firstFragmentMillis();
      Thread.sleep(3000);
      List<String> order = c.order;
      assertTrue(
          order.get(0).startsWith("text:{\"type\":\"init\",\"codecs\":\"avc1\""), order.get(0));
      assertEquals("bin:init", order.get(1));
      long first = Long.parseLong(order.get(2).substring(4));
      assertTrue(keyframe(first), "the first fragment is a keyframe (access unit " + first + ")");
      int live = order.indexOf("text:" + MseMessages.live());
      assertTrue(
          live > 2, "live comes after the burst: " + order.subList(0, Math.min(order.size(), 10)));
      assertTrue(
          c.fragments >= 3 * 25 - 5,
          "3 s of fragments at 25 fps after the burst, got " + c.fragments);
      assertEquals(0, c.gaps, "fragments in order, none missing");
      System.out.printf(
          "MseIT: first fragment %d ms after open, burst %d fragments%n", firstMillis, live - 2);
    } finally {
      c.close();
    }
  }

  @Test
  void aHundredViewersKeepFullRateWhileOneThatNeverReadsIsSkipped() throws Exception {
    Socket stuck = stuckViewer();
    List<CompletableFuture<MseClient>> opening = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      opening.add(MseClient.open(HTTP, uri("msetest", null), viewer, 0));
    }
    List<MseClient> clients = new ArrayList<>();
    for (CompletableFuture<MseClient> f : opening) {
      clients.add(f.get(20, TimeUnit.SECONDS));
    }
    try {
      for (MseClient c : clients) {
        c.firstFragmentMillis();
      }
      long[] start = clients.stream().mapToLong(c -> c.fragments).toArray();
      long maxHeld = 0;
      long t0 = System.nanoTime();
      long stuckDropped = 0;
      // at least 8 s, and until the stuck viewer has filled its socket, channel and queue (1.4 MB
      // at 190 kB/s)
      while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(8)
          || (stuckDropped == 0 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30))) {
        Thread.sleep(200);
        MseViewer s = stuckOne();
        if (s != null) {
          maxHeld = Math.max(maxHeld, s.heldBytes());
          stuckDropped = s.droppedFragments();
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      for (int i = 0; i < clients.size(); i++) {
        MseClient c = clients.get(i);
        double fps = (c.fragments - start[i]) / seconds;
        assertEquals(0, c.gaps, "viewer " + i + " missed fragments");
        assertTrue(fps > 23, "viewer " + i + " got " + fps + " fragments/s");
        assertTrue(
            c.texts.stream().noneMatch(t -> t.contains("dropped")), "viewer " + i + " was dropped");
      }
      long bound =
          MSE.queueBytes() + 256 * 1024 + 512 * 1024; // queue + high water mark + one fragment
      System.out.printf(
          "MseIT: 100 viewers, %.1f s, min %.1f fragments/s%n",
          seconds,
          clients.stream()
              .mapToDouble(c -> (c.fragments - start[clients.indexOf(c)]) / seconds)
              .min()
              .orElse(0));
      System.out.printf(
          "MseIT: stuck viewer held at most %d bytes (bound %d), skipped %d fragments%n",
          maxHeld, bound, stuckDropped);
      assertTrue(stuckDropped > 0, "the viewer that does not read is skipped");
      assertTrue(maxHeld <= bound, "held " + maxHeld + " > " + bound);
      // and the metrics say so: viewers, media bytes out, skipped fragments (docs/operations.md)
      String metrics =
          HTTP.send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(meter(metrics, "camflow_delivery_viewers{") >= 100, metrics);
      assertTrue(
          meter(metrics, "camflow_delivery_bytes_out_total{") > 1_000_000, "MSE bytes out counted");
      assertTrue(
          meter(metrics, "camflow_delivery_dropped_fragments_total{") >= stuckDropped,
          "skips counted");
    } finally {
      clients.forEach(MseClient::close);
      stuck.close();
    }
  }

  /**
   * The value of the MSE series of a meter in a Prometheus scrape ({@code
   * name{...protocol="mse"...} v}).
   */
  static double meter(String scrape, String prefix) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(prefix) && l.contains("protocol=\"mse\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  static boolean keyframe(long accessUnit) {
    return clip.get((int) (accessUnit % clip.size())).keyframe();
  }

  /** The viewer with the most media held: the stuck one once the others are flowing. */
  static MseViewer stuckOne() {
    return service.mseViewers().list().stream()
        .max((a, b) -> Long.compare(a.heldBytes(), b.heldBytes()))
        .orElse(null);
  }

  /** A raw WebSocket client with a tiny receive buffer that says play and then never reads. */
  static Socket stuckViewer() throws Exception {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    OutputStream out = s.getOutputStream();
    String key =
        Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    out.write(
        ("GET /live/demo/msetest/mse?access_token="
                + viewer
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + key
                + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        fail("closed during the handshake: " + head);
      }
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    byte[] play = MseClient.PLAY.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    byte[] frame = new byte[2 + 4 + play.length];
    frame[0] = (byte) 0x81; // FIN, text
    frame[1] = (byte) (0x80 | play.length); // masked, length < 126
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < play.length; i++) {
      frame[6 + i] = (byte) (play[i] ^ mask[i % 4]);
    }
    out.write(frame);
    out.flush();
    return s; // and never read again
  }

  /**
   * An MSE viewer made of java.net.http's WebSocket: sends {@code play}, keeps the text messages
   * and the first few binary ones, and checks the fragments' {@code mfhd} sequence numbers (the
   * feed's access-unit counter) as they come: count, gaps, first and last.
   */
  static final class MseClient extends MseSocket {

    static final String[] CODECS = {"avc1.64001f", "mp4a.40.2"};
    static final String PLAY = playMessage(CODECS);

    final List<String> texts = new CopyOnWriteArrayList<>();

    /**
     * The order of everything received: "text:<json>" or "bin:<seq>" ("bin:init" for the init
     * segment).
     */
    final List<String> order = new CopyOnWriteArrayList<>();

    final int keepOrder;
    final CompletableFuture<Long> firstFragmentNanos = new CompletableFuture<>();
    volatile long fragments;
    volatile long gaps;
    volatile long firstSeq = -1;
    volatile long lastSeq = -1;
    volatile long openedNanos;
    private boolean initSeen;

    MseClient(int keepOrder) {
      this.keepOrder = keepOrder;
    }

    static CompletableFuture<MseClient> open(
        HttpClient http, URI uri, String bearerHeader, int keepOrder) {
      MseClient c = new MseClient(keepOrder);
      c.openedNanos = System.nanoTime();
      return c.connect(http, uri, bearerHeader)
          .thenApply(
              ws -> {
                c.play(CODECS);
                return c;
              });
    }

    @Override
    protected void text(String t) {
      texts.add(t);
      note("text:" + t);
    }

    @Override
    protected void binary(byte[] m) {
      if (m.length > 8 && m[4] == 'f' && m[5] == 't' && m[6] == 'y' && m[7] == 'p') {
        initSeen = true;
        note("bin:init");
        return;
      }
      long seq = sequence(m);
      if (firstSeq < 0) {
        firstSeq = seq;
        firstFragmentNanos.complete(System.nanoTime() - openedNanos);
      } else if (seq != lastSeq + 1) {
        gaps++;
      }
      lastSeq = seq;
      fragments++;
      note("bin:" + seq);
    }

    /** The moof's mfhd sequence number: moof header (8), mfhd header (8), version/flags (4). */
    static long sequence(byte[] m) {
      if (m.length < 24
          || m[4] != 'm'
          || m[5] != 'o'
          || m[6] != 'o'
          || m[7] != 'f'
          || m[12] != 'm'
          || m[15] != 'd') {
        throw new AssertionError("not a moof with mfhd first");
      }
      return ((m[20] & 0xffL) << 24)
          | ((m[21] & 0xff) << 16)
          | ((m[22] & 0xff) << 8)
          | (m[23] & 0xff);
    }

    private void note(String s) {
      if (order.size() < keepOrder) {
        order.add(s);
      }
    }

    boolean initSeen() {
      return initSeen;
    }

    void close() {
      abort();
    }

    long firstFragmentMillis() throws Exception {
      return TimeUnit.NANOSECONDS.toMillis(firstFragmentNanos.get(10, TimeUnit.SECONDS));
    }
  }
}
