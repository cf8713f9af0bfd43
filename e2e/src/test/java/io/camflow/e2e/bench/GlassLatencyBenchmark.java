package io.camflow.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.e2e.CamelServices;
import io.camflow.ingest.IngestService;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.packager.PackagerService;
import io.camflow.testsupport.TestCamera;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (not a test): glass latency (issue 6, target ≤ 300 ms for WebRTC) — the age of the
 * picture when a browser shows it. The camera draws its wall clock into every frame before its
 * encoder ({@link TestCamera.Builder#clockCode}); headless Chromium plays the stream with the web
 * viewer's own player and reads the clock back from every presented frame ({@code
 * glass-latency.mjs}). So the figure holds the camera's encoder, RTSP, ingest, Kafka, packager
 * (MSE, HLS), delivery, loopback network, the browser's jitter buffer or media buffer, decoding and
 * compositing — the whole path but a real camera's own encoder and a real network. Camera, Kafka
 * broker and browser are processes of their own; ingest, packager and delivery (auth off, WebRTC on
 * loopback) run in this JVM, as in {@link MsePipeline}.
 *
 * <p>Run with {@code ./camflow bench glass-latency [-Dprotocol=webrtc,mse,hls -Dseconds=30
 * -Dwidth=1280 -Dheight=720 -Dgop=50 -Dkbps=2000 -Dwarmup=10]}; one browser run per protocol, one
 * after another.
 */
public final class GlassLatencyBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    List<String> protocols = List.of(System.getProperty("protocol", "webrtc").split(","));
    int seconds = Integer.getInteger("seconds", 30);
    int warmup = Integer.getInteger("warmup", 10);
    try (Pipeline p =
        new Pipeline(
            Integer.getInteger("width", 1280),
            Integer.getInteger("height", 720),
            Integer.getInteger("gop", 50),
            Integer.getInteger("kbps", 2000))) {
      System.out.printf(
          Locale.ROOT,
          "camera %dx%d 25 fps, GOP %d, %d kbit/s, clock code; %d cores%n",
          p.camera.width(),
          p.camera.height(),
          p.camera.gop(),
          p.camera.bitrateKbps(),
          Runtime.getRuntime().availableProcessors());
      for (String protocol : protocols) {
        String load0 = MseLatencyBenchmark.loadAverage();
        JsonNode r = play(p.base(), protocol.trim(), seconds, warmup);
        System.out.printf(
            Locale.ROOT,
            "%s, %d s after a %d s warm-up; load average before %s, after %s%n",
            protocol.trim(),
            seconds,
            warmup,
            load0,
            MseLatencyBenchmark.loadAverage());
        if (!r.path("ok").asBoolean()) {
          System.out.println("  FAILED: " + r.path("reason").asText());
          continue;
        }
        System.out.println(
            "  glass latency (page clock at display − clock in the picture): "
                + ms(r.get("ageMs")));
        System.out.println(
            "  the same when the page's frame callback ran:                  "
                + ms(r.get("callbackAgeMs")));
        System.out.println(
            "  engine's own 'behind live' estimate:                          "
                + ms(r.get("engineBehindLiveMs")));
        System.out.printf(
            Locale.ROOT,
            "  frames presented %d (%.1f/s), code read %d, misses %d, unseen by the page %d,"
                + " dropped by the decoder %d; %dx%d, first code after %d ms; player states %s%n",
            r.get("presented").asInt(),
            r.get("presented").asDouble() / seconds,
            r.get("decoded").asInt(),
            r.get("misses").asInt(),
            r.get("unseen").asInt(),
            r.get("droppedByDecoder").asInt(),
            r.get("width").asInt(),
            r.get("height").asInt(),
            r.get("firstCodeMs").asInt(),
            r.get("states"));
      }
    }
    System.exit(0);
  }

  /** One glass-latency.mjs run; its JSON report (ok false with a reason when it failed). */
  static JsonNode play(String base, String protocol, int seconds, int warmup) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "node",
                "src/test/js/glass-latency.mjs",
                base,
                "bench/main",
                protocol,
                Integer.toString(seconds))
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("WARMUP", Integer.toString(warmup));
    Process node = pb.start();
    node.getOutputStream().close();
    String out = new String(node.getInputStream().readAllBytes()).trim();
    node.waitFor();
    return out.isEmpty()
        ? JSON.readTree("{\"ok\":false,\"reason\":\"no report from node\"}")
        : JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
  }

  private static String ms(JsonNode s) {
    if (s == null || s.isNull()) {
      return "no sample";
    }
    return String.format(
        Locale.ROOT,
        "n=%d min %d p50 %d p95 %d max %d mean %d ms",
        s.get("n").asInt(),
        s.get("min").asInt(),
        s.get("p50").asInt(),
        s.get("p95").asInt(),
        s.get("max").asInt(),
        s.get("mean").asInt());
  }

  /**
   * Camera with the clock code (mode always), the local Kafka broker, ingest, packager, delivery
   * with WebRTC.
   */
  static final class Pipeline implements AutoCloseable {

    final TestCamera camera;
    final int port;
    private final CamelServices services = new CamelServices();

    Pipeline(int width, int height, int gop, int kbps) throws Exception {
      LocalKafka kafka = LocalKafka.shared();
      camera =
          TestCamera.builder()
              .codec(TestCamera.Codec.H264)
              .size(width, height)
              .fps(25)
              .gop(gop)
              .bitrateKbps(kbps)
              .clockCode(true)
              .start();
      String yaml =
          """
          kafka:
            bootstrapServers: %s
          cameras:
            bench:
              streams:
                main:
                  url: %s
                  mode: always
          """
              .formatted(kafka.bootstrapServers(), camera.url());
      Path routes = Path.of("..", "routes");
      IngestService ingest =
          new IngestService(
              ConfigLoader.parse(yaml, "glass-latency.yaml", Map.of()),
              routes.resolve("ingest.camel.yaml"),
              "ingest-glass");
      services.start(ingest::configure, ingest);
      ingest.started();
      PackagerService packager =
          new PackagerService(
              kafka.bootstrapServers(),
              Duration.ofNanos(333_340_000),
              Duration.ofSeconds(2),
              routes.resolve("packager.camel.yaml"),
              "packager-glass");
      services.start(packager::configure, packager);
      port = FreePorts.find();
      DeliveryService delivery =
          new DeliveryService(
                  DeliverySettings.defaults(kafka.bootstrapServers()),
                  port,
                  CorsPolicy.none(),
                  AuthSettings.off(),
                  null,
                  routes.resolve("delivery.camel.yaml"))
              .webrtc(
                  WhepSettings.defaults(),
                  WebRtcTransportSettings.defaults().withPort(0).withLoopbackCandidates(true));
      services.start(delivery::configure, delivery);
      awaitPlaylist();
    }

    String base() {
      return "http://127.0.0.1:" + port;
    }

    private void awaitPlaylist() throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest get =
          HttpRequest.newBuilder(URI.create(base() + "/live/bench/main/index.m3u8")).build();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try {
          if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (java.io.IOException e) {
          // not listening yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the camera was not packaged within 60 s; camera: " + camera.stderr());
        }
        Thread.sleep(200);
      }
    }

    @Override
    public void close() throws Exception {
      services.close();
      camera.close();
    }
  }
}
