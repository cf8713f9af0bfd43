package io.camflow.delivery.bench;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.localprocess.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Delivery as the recording and picture benchmarks run it — auth off, on the benchmark's own
 * broker, with the shipped routes — and what their figures need: an HTTP client, a GET that must
 * answer 200, percentiles.
 */
final class BenchDelivery implements AutoCloseable {

  final int port;
  final HttpClient http = HttpClient.newHttpClient();
  private final DeliveryService service;
  private final DefaultCamelContext ctx;

  private BenchDelivery(int port, DeliveryService service, DefaultCamelContext ctx) {
    this.port = port;
    this.service = service;
    this.ctx = ctx;
  }

  static BenchDelivery start(String bootstrapServers) throws Exception {
    int port = FreePorts.find();
    DeliveryService service =
        new DeliveryService(
            DeliverySettings.defaults(bootstrapServers),
            port,
            CorsPolicy.none(),
            AuthSettings.off(),
            null,
            Path.of("..", "routes", "delivery.camel.yaml"));
    DefaultCamelContext ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    return new BenchDelivery(port, service, ctx);
  }

  /** The URL of {@code path} on this delivery. */
  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** The body of {@code url}, which must answer 200 within 30 s. */
  byte[] get(String url) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + ": " + r.statusCode() + " " + new String(r.body()));
    }
    return r.body();
  }

  /** The {@code p}-th percentile of {@code values} (nearest rank; 100: the largest). */
  static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  @Override
  public void close() {
    ctx.stop();
    service.close();
  }
}
