package io.camflow.e2e.bench;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.mse.MseSettings;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.e2e.CamelServices;
import io.camflow.ingest.IngestService;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.packager.PackagerService;
import io.camflow.testsupport.TestCamera;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The whole live path in one JVM for the MSE benchmarks: a GStreamer RTSP camera (H.264, mode
 * always), the local Kafka broker, ingest, packager and delivery with auth off on a free port.
 */
final class MsePipeline implements AutoCloseable {

  final TestCamera camera;
  final DeliveryService delivery;
  final int port;
  private final CamelServices services = new CamelServices();

  MsePipeline(int width, int height, int gop, int kbps, int maxViewers) throws Exception {
    this(width, height, gop, kbps, maxViewers, false);
  }

  /**
   * @param webrtc whether delivery serves WHEP too (UDP port picked free, loopback candidates
   *     announced)
   */
  MsePipeline(int width, int height, int gop, int kbps, int maxViewers, boolean webrtc)
      throws Exception {
    LocalKafka kafka = LocalKafka.shared();
    camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(width, height)
            .fps(25)
            .gop(gop)
            .bitrateKbps(kbps)
            .pattern(System.getProperty("pattern", "ball"))
            .credentials("viewer", "bench-Secret-42")
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
                username: viewer
                password: ${env:BENCH_PASSWORD}
                mode: always
        """
            .formatted(kafka.bootstrapServers(), camera.url());
    Path routes = Path.of("..", "routes");
    IngestService ingest =
        new IngestService(
            ConfigLoader.parse(yaml, "bench.yaml", Map.of("BENCH_PASSWORD", "bench-Secret-42")),
            routes.resolve("ingest.camel.yaml"),
            "ingest-bench");
    services.start(ingest::configure, ingest);
    ingest.started();
    PackagerService packager =
        new PackagerService(
            kafka.bootstrapServers(),
            Duration.ofNanos(333_340_000),
            Duration.ofSeconds(2),
            routes.resolve("packager.camel.yaml"),
            "packager-bench");
    services.start(packager::configure, packager);
    port = FreePorts.find();
    DeliveryService d =
        new DeliveryService(
            DeliverySettings.defaults(kafka.bootstrapServers())
                .withMse(MseSettings.defaults().withLimits(maxViewers, maxViewers)),
            port,
            CorsPolicy.none(),
            AuthSettings.off(),
            null,
            routes.resolve("delivery.camel.yaml"));
    delivery =
        webrtc
            ? d.webrtc(
                WhepSettings.defaults(),
                WebRtcTransportSettings.defaults().withPort(0).withLoopbackCandidates(true))
            : d;
    services.start(delivery::configure, delivery);
  }

  String mseUrl() {
    return "ws://127.0.0.1:" + port + "/live/bench/main/mse";
  }

  String whepUrl() {
    return "http://127.0.0.1:" + port + "/live/bench/main/whep";
  }

  String playlistUrl() {
    return "http://127.0.0.1:" + port + "/live/bench/main/index.m3u8";
  }

  @Override
  public void close() throws Exception {
    services.close();
    camera.close();
  }
}
