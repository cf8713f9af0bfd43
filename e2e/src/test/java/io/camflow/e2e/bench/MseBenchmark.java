package io.camflow.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.camflow.delivery.mse.MseViewer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test) of WebSocket/MSE on the whole live path in one JVM ({@link MsePipeline}:
 * GStreamer camera, local Kafka, ingest, packager, delivery with auth off), warm stream.
 *
 * <ul>
 *   <li><b>start</b>: {@code -Dopens} (25) sequential opens at random points of the GOP; for each,
 *       connect → first fragment received (instant start from the GOP cache), connect → the first
 *       keyframe that arrives live (what waiting for the next IDR gives), and delivery's own
 *       figure, handshake done → first fragment written. Then {@code -Dbrowser} (20) runs of {@code
 *       mse-play.mjs} in Chromium: socket open → first rendered frame.
 *   <li><b>fanout</b>: {@code -Dviewers} (500) MSE viewers of the stream for {@code -Dseconds}
 *       (30): process CPU, heap growth per viewer (after GC; clients live in the same JVM, so an
 *       upper bound), fragments per second each viewer received, and {@code dropped} events.
 * </ul>
 *
 * Run with {@code ./camflow bench mse [-Dmode=start|fanout|all] [-Dwidth=1280 -Dheight=720
 * -Dgop=100 -Dkbps=4000 -Dpattern=ball]} ({@code -Dpattern=snow}: noise, so the encoder really
 * spends the bitrate; the moving ball compresses to well under it).
 */
public final class MseBenchmark {

  public static void main(String[] args) throws Exception {
    String mode = System.getProperty("mode", "all");
    int gop = Integer.getInteger("gop", 100);
    try (MsePipeline p =
        new MsePipeline(
            Integer.getInteger("width", 1280),
            Integer.getInteger("height", 720),
            gop,
            Integer.getInteger("kbps", 4000),
            Integer.getInteger("viewers", 500) + 50)) {
      warm(p);
      System.out.printf(
          Locale.ROOT,
          "camera %dx%d 25 fps, GOP %d frames (%.1f s), %d kbit/s; %d cores%n",
          p.camera.width(),
          p.camera.height(),
          gop,
          gop / 25.0,
          p.camera.bitrateKbps(),
          Runtime.getRuntime().availableProcessors());
      if (mode.equals("start") || mode.equals("all")) {
        start(p, Integer.getInteger("opens", 25), Integer.getInteger("browser", 20), gop);
      }
      if (mode.equals("fanout") || mode.equals("all")) {
        fanout(p, Integer.getInteger("viewers", 500), Integer.getInteger("seconds", 30));
      }
    }
    System.exit(0);
  }

  static void warm(MsePipeline p) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(p.playlistUrl())).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          break;
        }
      } catch (Exception ignored) {
        // not yet
      }
      Thread.sleep(500);
    }
    Thread.sleep(5000);
  }

  static void start(MsePipeline p, int opens, int browserRuns, int gop) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<Double> instant = new ArrayList<>();
    List<Double> nextKeyframe = new ArrayList<>();
    List<Double> handshake = new ArrayList<>();
    for (int i = 0; i < opens; i++) {
      Thread.sleep(
          ThreadLocalRandom.current().nextLong(200, gop * 40L)); // a random point of the GOP
      MseViewerClient c = MseViewerClient.open(http, p.mseUrl()).get(10, TimeUnit.SECONDS);
      instant.add(c.firstFragment.get(10, TimeUnit.SECONDS) / 1e6);
      nextKeyframe.add(c.nextLiveKeyframe.get(gop * 40L + 5000, TimeUnit.MILLISECONDS) / 1e6);
      handshake.add(c.openNanos / 1e6);
      c.close();
    }
    List<Double> server =
        p.delivery.mseViewers().firstFragmentTimes().stream().map(n -> n / 1e6).toList();
    System.out.println("start, " + opens + " opens (ms from connect):");
    report("  handshake done", handshake);
    report("  first fragment received (instant start)", instant);
    report("  first live keyframe received (waiting for the next IDR)", nextKeyframe);
    report("  delivery: handshake → first fragment written", server);
    if (browserRuns <= 0) {
      return;
    }
    ObjectMapper json = new ObjectMapper();
    List<Double> rendered = new ArrayList<>();
    List<Double> renderedFromCreate = new ArrayList<>();
    for (int i = 0; i < browserRuns; i++) {
      Thread.sleep(ThreadLocalRandom.current().nextLong(200, gop * 40L));
      Process node =
          new ProcessBuilder(
                  "node", Path.of("src", "test", "js", "mse-play.mjs").toString(), p.mseUrl(), "2")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(node.getInputStream().readAllBytes()).trim();
      node.waitFor(60, TimeUnit.SECONDS);
      JsonNode r = json.readTree(out.substring(out.lastIndexOf('\n') + 1));
      if (r.get("firstFrameFromOpenMs").isNull()) {
        System.out.println("  browser run " + i + ": no frame rendered: " + r);
        continue;
      }
      rendered.add(r.get("firstFrameFromOpenMs").asDouble());
      renderedFromCreate.add(r.get("firstFrameMs").asDouble());
    }
    System.out.println("start in Chromium, " + browserRuns + " runs (ms):");
    report("  socket open → first rendered frame", rendered);
    report("  new WebSocket() → first rendered frame", renderedFromCreate);
  }

  static void fanout(MsePipeline p, int viewers, int seconds) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.gc();
    Thread.sleep(500);
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    HttpClient http = HttpClient.newHttpClient();
    List<CompletableFuture<MseViewerClient>> opening = new ArrayList<>();
    int perClient =
        Integer.getInteger("viewersPerClient", 25); // one HttpClient (selector thread) per so many
    List<MseViewerClient> clients = new ArrayList<>();
    for (int i = 0; i < viewers; i++) {
      if (i % perClient == 0) {
        http = HttpClient.newHttpClient();
      }
      opening.add(MseViewerClient.open(http, p.mseUrl()));
      if (i % 50 == 49) {
        for (CompletableFuture<MseViewerClient> f : opening) {
          clients.add(f.get(30, TimeUnit.SECONDS));
        }
        opening.clear();
      }
    }
    for (CompletableFuture<MseViewerClient> f : opening) {
      clients.add(f.get(30, TimeUnit.SECONDS));
    }
    Thread.sleep(5000); // GOP bursts over
    long[] fragments0 = clients.stream().mapToLong(c -> c.fragments).toArray();
    long bytes0 = clients.stream().mapToLong(c -> c.bytes).sum();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long cpu = os.getProcessCpuTime() - cpu0;
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long bytes = clients.stream().mapToLong(c -> c.bytes).sum() - bytes0;
    List<Double> fps = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      fps.add((clients.get(i).fragments - fragments0[i]) / elapsed);
    }
    long dropped = clients.stream().mapToLong(c -> c.dropped).sum();
    long limited = clients.stream().filter(c -> c.limited).count();
    long keptUp = fps.stream().filter(f -> f >= 24).count();
    long maxHeld =
        p.delivery.mseViewers().list().stream().mapToLong(MseViewer::heldBytes).max().orElse(0);
    System.gc();
    Thread.sleep(500);
    long heapWith = memory.getHeapMemoryUsage().getUsed();
    System.out.printf(Locale.ROOT, "fanout: %d viewers for %.0f s%n", clients.size(), elapsed);
    System.out.printf(
        Locale.ROOT,
        "  process CPU %.0f %% of one core (%.0f %% of the machine), delivered %.1f Mbit/s%n",
        100.0 * cpu / (elapsed * 1e9),
        100.0 * cpu / (elapsed * 1e9 * os.getAvailableProcessors()),
        bytes * 8 / elapsed / 1e6);
    report("  fragments/s per viewer", fps);
    System.out.printf(
        Locale.ROOT,
        "  %d viewers at >= 24 fragments/s; %d refused (limit); dropped events %d; "
            + "most media held for one viewer %d bytes%n",
        keptUp,
        limited,
        dropped,
        maxHeld);
    System.out.printf(
        Locale.ROOT,
        "  heap after GC: %.1f MB before, %.1f MB with the viewers: %.1f KB per viewer "
            + "(server and client side together)%n",
        heapBefore / 1e6,
        heapWith / 1e6,
        (heapWith - heapBefore) / 1024.0 / clients.size());
    clients.forEach(MseViewerClient::close);
  }

  static void report(String what, List<Double> values) {
    if (values.isEmpty()) {
      System.out.println(what + ": no sample");
      return;
    }
    List<Double> v = values.stream().sorted().toList();
    System.out.printf(
        Locale.ROOT,
        "%s: n=%d min %.0f p50 %.0f p95 %.0f max %.0f%n",
        what,
        v.size(),
        v.get(0),
        pct(v, 50),
        pct(v, 95),
        v.get(v.size() - 1));
  }

  static double pct(List<Double> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
