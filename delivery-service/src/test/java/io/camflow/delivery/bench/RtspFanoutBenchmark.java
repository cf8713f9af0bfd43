package io.camflow.delivery.bench;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.auth.FailureLimiter;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.it.MediaFeed;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.rtsp.RtspServer;
import io.camflow.delivery.rtsp.RtspSettings;
import io.camflow.delivery.sessions.ViewerLimits;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.RtspRelay;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * RTSP fan-out of one 1080p25 ~4 Mbit/s stream (docs/BENCHMARKS.md): {@code -Dreaders} (100,300)
 * TCP readers in another process ({@link RtspLoadClient}) on camflow's RTSP server, then on
 * GStreamer's RTSP server relaying the same stream (rtsp-relay.py reading camflow's, one reader),
 * side by side: the server's CPU during {@code -Dseconds} (20), its memory per reader, and what the
 * readers got (frames per second, packets lost).
 */
public final class RtspFanoutBenchmark {

  private RtspFanoutBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("seconds", 20);
    int warm = 8;
    List<Integer> counts = new ArrayList<>();
    for (String n : System.getProperty("readers", "100,300").split(",")) {
      counts.add(Integer.parseInt(n.trim()));
    }
    List<AccessUnit> clip = EncodedStream.busy1080p();
    long clipBytes = clip.stream().mapToLong(u -> u.data().length).sum();
    System.out.printf(
        Locale.ROOT,
        "one camera 1920x1080@25, %.0f kbit/s; readers over TCP in another process%n",
        clipBytes * 8 / (clip.size() / 25.0) / 1000);
    StreamKey key = new StreamKey("bench", "main");
    Path work = Files.createTempDirectory("camflow-rtsp-fanout");
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    try (LocalKafka kafka =
        LocalKafka.start(work.resolve("kafka"), FreePorts.find(), FreePorts.find())) {
      BenchRecording.topics(kafka.bootstrapServers(), key.mediaTopic(), key.cmafTopic());
      try (MediaFeed feed = new MediaFeed(kafka.bootstrapServers(), key.mediaTopic(), clip, "b1")) {
        feed.start();
        StreamHubs hubs =
            new StreamHubs(DeliverySettings.defaults(kafka.bootstrapServers()), scheduler);
        Access access =
            new Access(
                AuthSettings.off(),
                null,
                new FailureLimiter(100, Duration.ofMinutes(1), System::nanoTime),
                scheduler);
        ViewerSessions sessions = new ViewerSessions(new ViewerLimits(1000, 1000));
        try (RtspServer server =
            RtspServer.start(
                RtspSettings.on(0),
                new InetSocketAddress("127.0.0.1", 0),
                hubs,
                access,
                sessions,
                null)) {
          String url = "rtsp://127.0.0.1:" + server.port() + "/bench/main";
          var os =
              (com.sun.management.OperatingSystemMXBean)
                  ManagementFactory.getOperatingSystemMXBean();
          LongSupplier ownCpu = os::getProcessCpuTime;
          Thread.sleep(5_000);
          double idle = cpu(ownCpu, 10);
          long heap0 = heapAfterGc();
          System.out.printf(
              Locale.ROOT, "camflow idle (the camera's producer): %.1f %% of a core%n", idle * 100);
          for (int n : counts) {
            Process client = client(url, n, warm, seconds);
            Thread.sleep(warm * 1000L);
            double busy = cpu(ownCpu, seconds);
            long heap = heapAfterGc();
            String result = result(client);
            System.out.printf(
                Locale.ROOT,
                "camflow  %3d readers: %.1f %% of a core (%.1f above idle), heap %.0f kB per reader;"
                    + " %s%n",
                n,
                busy * 100,
                (busy - idle) * 100,
                (heap - heap0) / 1024.0 / n,
                result);
            Thread.sleep(3_000);
          }
          try (RtspRelay relay = RtspRelay.start(url)) {
            ProcessHandle p = relay.process();
            LongSupplier relayCpu =
                () -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            // the relay's media starts with its first reader
            Process first = client(relay.url(), 1, 5, 5);
            result(first);
            double relayIdle = cpu(relayCpu, 5);
            System.out.printf(
                Locale.ROOT,
                "GStreamer relay with no reader: %.1f %% of a core, RSS %d MB%n",
                relayIdle * 100,
                rssKb(p.pid()) / 1024);
            for (int n : counts) {
              long rss0 = rssKb(p.pid());
              Process client = client(relay.url(), n, warm, seconds);
              Thread.sleep(warm * 1000L);
              double busy = cpu(relayCpu, seconds);
              long rss = rssKb(p.pid());
              String result = result(client);
              System.out.printf(
                  Locale.ROOT,
                  "gstreamer %3d readers: %.1f %% of a core, RSS +%.0f kB per reader; %s%n",
                  n,
                  busy * 100,
                  (rss - rss0) / (double) n,
                  result);
              Thread.sleep(3_000);
            }
          }
        } finally {
          hubs.close();
        }
      }
    } finally {
      scheduler.shutdownNow();
    }
    System.exit(0);
  }

  static Process client(String url, int readers, int warm, int seconds) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            RtspLoadClient.class.getName(),
            url,
            Integer.toString(readers),
            Integer.toString(warm),
            Integer.toString(seconds))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  static String result(Process client) throws Exception {
    String line;
    String result = "no result";
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
      while ((line = out.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          result = line.substring(7);
        }
      }
    }
    client.waitFor();
    return result;
  }

  static double cpu(LongSupplier cpuNanos, int seconds) throws InterruptedException {
    long c0 = cpuNanos.getAsLong();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    return (cpuNanos.getAsLong() - c0) / (double) (System.nanoTime() - t0);
  }

  static long heapAfterGc() {
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    return m.getHeapMemoryUsage().getUsed();
  }

  static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
