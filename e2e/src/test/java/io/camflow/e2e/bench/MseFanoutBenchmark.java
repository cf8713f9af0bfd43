package io.camflow.e2e.bench;

import com.sun.management.OperatingSystemMXBean;
import io.camflow.delivery.mse.MseViewer;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.record.CmafRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Benchmark (not a test): what MSE viewers cost delivery, with the viewers OUT of its process.
 * Ingest, packager and delivery run in this JVM ({@link MsePipeline}, as in {@link MseBenchmark});
 * camera and Kafka broker in processes of their own; the {@code -Dviewers} (500) viewers in a child
 * JVM ({@link FanoutClients}, java.net.http WebSocket, same machine). Default camera: the
 * ingest-cpu one, 1920x1080 25 fps, GOP 50, x264 4000 kbit/s, pattern {@code snow} (noise, so the
 * encoder spends the bitrate).
 *
 * <p>Measured without viewers, then with them, each over {@code -Dseconds} (60): this process's
 * heap after GC (median of five full GCs) and RSS, its CPU (the difference is the viewers' cost;
 * CPU by thread group shows where it goes), and per viewer the fragments per second it received and
 * the {@code dropped} events. Run with {@code ./camflow bench mse-fanout [-Dviewers=500
 * -Dseconds=60 -Dwidth=1920 -Dheight=1080 -Dgop=50 -Dkbps=4000 -Dpattern=snow]}.
 */
public final class MseFanoutBenchmark {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    if (System.getProperty("pattern") == null) {
      System.setProperty("pattern", "snow");
    }
    int viewers = Integer.getInteger("viewers", 500);
    int seconds = Integer.getInteger("seconds", 60);
    int gop = Integer.getInteger("gop", 50);
    long self = ProcessHandle.current().pid();
    try (MsePipeline p =
        new MsePipeline(
            Integer.getInteger("width", 1920),
            Integer.getInteger("height", 1080),
            gop,
            Integer.getInteger("kbps", 4000),
            viewers + 50)) {
      MseBenchmark.warm(p);
      Thread.sleep(10_000);
      System.out.printf(
          Locale.ROOT,
          "camera %dx%d 25 fps, GOP %d, %d kbit/s, pattern %s; %d cores%n",
          p.camera.width(),
          p.camera.height(),
          gop,
          p.camera.bitrateKbps(),
          System.getProperty("pattern"),
          Runtime.getRuntime().availableProcessors());

      AtomicLong chunks =
          new AtomicLong(); // fragments the stream had: what a viewer that keeps up gets
      Thread counter =
          new Thread(
              () -> countChunks(LocalKafka.shared().bootstrapServers(), chunks), "bench-chunks");
      counter.setDaemon(true);
      counter.start();
      long[] heapWithout = heapAfterGc();
      long rssWithout = ClientProcess.rssBytes(self);
      String load0 = MseLatencyBenchmark.loadAverage();
      Window idle = Window.measure(seconds);
      System.out.printf(
          Locale.ROOT,
          "without viewers (load average %s → %s):%n",
          load0,
          MseLatencyBenchmark.loadAverage());
      System.out.printf(
          Locale.ROOT,
          "  heap after GC %.1f MB (five GCs: %s), RSS %.1f MB, process CPU %.1f %% of one core%n",
          heapWithout[2] / 1e6,
          mb(heapWithout),
          rssWithout / 1e6,
          idle.cpuPercent());
      idle.printThreads();

      try (ClientProcess clients =
          ClientProcess.start(p.mseUrl(), viewers, Integer.getInteger("viewersPerClient", 25))) {
        Thread.sleep(10_000); // the GOP bursts are out
        long droppedServer0 = p.delivery.mseViewers().droppedFragments();
        ClientProcess.Counts c0 = clients.counts();
        long chunks0 = chunks.get();
        long clientTicks0 = ClientProcess.cpuTicks(clients.pid());
        String load1 = MseLatencyBenchmark.loadAverage();
        Window busy = Window.measure(seconds);
        ClientProcess.Counts c1 = clients.counts();
        double streamFps = (chunks.get() - chunks0) / busy.seconds;
        long clientTicks = ClientProcess.cpuTicks(clients.pid()) - clientTicks0;
        long droppedServer = p.delivery.mseViewers().droppedFragments() - droppedServer0;
        long maxHeld =
            p.delivery.mseViewers().list().stream().mapToLong(MseViewer::heldBytes).max().orElse(0);
        long rssWith = ClientProcess.rssBytes(self);
        long[] heapWith = heapAfterGc();
        double[] fps = new double[c1.fragments().length];
        for (int i = 0; i < fps.length; i++) {
          fps[i] = (c1.fragments()[i] - c0.fragments()[i]) / busy.seconds;
        }
        Arrays.sort(fps);
        System.out.printf(
            Locale.ROOT,
            "with %d viewers in a child JVM (load average %s → %s):%n",
            fps.length,
            load1,
            MseLatencyBenchmark.loadAverage());
        System.out.printf(
            Locale.ROOT,
            "  heap after GC %.1f MB (five GCs: %s): %.1f KB per viewer; RSS %.1f MB: %.1f KB per viewer%n",
            heapWith[2] / 1e6,
            mb(heapWith),
            (heapWith[2] - heapWithout[2]) / 1024.0 / fps.length,
            rssWith / 1e6,
            (rssWith - rssWithout) / 1024.0 / fps.length);
        System.out.printf(
            Locale.ROOT,
            "  process CPU %.1f %% of one core (%.1f %% more than without viewers); "
                + "viewer JVM %.1f %% of one core%n",
            busy.cpuPercent(),
            busy.cpuPercent() - idle.cpuPercent(),
            clientTicks / 100.0 / busy.seconds * 100);
        busy.printThreads();
        System.out.printf(
            Locale.ROOT,
            "  delivered %.1f Mbit/s (%.2f Mbit/s per viewer)%n",
            (c1.bytes() - c0.bytes()) * 8 / busy.seconds / 1e6,
            (c1.bytes() - c0.bytes()) * 8 / busy.seconds / 1e6 / fps.length);
        // a viewer that got every fragment of the window has the stream's rate (±1 fragment of
        // timing)
        long missing = Arrays.stream(fps).filter(f -> f < streamFps - 1.5 / busy.seconds).count();
        System.out.printf(
            Locale.ROOT,
            "  fragments/s per viewer: min %.2f median %.2f max %.2f; the stream had %.2f: "
                + "%d of %d viewers received fewer; dropped events %d (delivery: %d fragments skipped); %d refused (limit); "
                + "most media held for one viewer at the end %d bytes%n",
            fps[0],
            fps[fps.length / 2],
            fps[fps.length - 1],
            streamFps,
            missing,
            fps.length,
            c1.dropped() - c0.dropped(),
            droppedServer,
            c1.limited(),
            maxHeld);
      }
    }
    System.exit(0);
  }

  /** Counts the stream's chunk records (fragments) as they come. */
  private static void countChunks(String bootstrap, AtomicLong chunks) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.partition.fetch.bytes", "16778240");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition("camflow.cmaf.bench.main", 0);
      c.assign(List.of(tp));
      c.seekToEnd(List.of(tp));
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          Header kind = r.headers().lastHeader(CmafRecord.KIND);
          if (kind != null && new String(kind.value(), StandardCharsets.UTF_8).equals("chunk")) {
            chunks.incrementAndGet();
          }
        }
      }
    }
  }

  private static String mb(long[] sorted) {
    return Arrays.stream(sorted)
        .mapToObj(b -> String.format(Locale.ROOT, "%.1f", b / 1e6))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * Used heap after a full GC, five times a second apart, sorted: [2] is the median (the GOP
   * cache's size varies).
   */
  static long[] heapAfterGc() throws InterruptedException {
    long[] used = new long[5];
    for (int i = 0; i < used.length; i++) {
      System.gc();
      Thread.sleep(300);
      used[i] = MEMORY.getHeapMemoryUsage().getUsed();
      Thread.sleep(700);
    }
    Arrays.sort(used);
    return used;
  }

  /** Process CPU and CPU per thread group over a window. */
  record Window(double seconds, long cpuNanos, Map<String, Long> threadNanos) {

    static Window measure(int seconds) throws InterruptedException {
      Map<String, Long> before = threadCpu();
      long cpu0 = OS.getProcessCpuTime();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long cpu = OS.getProcessCpuTime() - cpu0;
      double elapsed = (System.nanoTime() - t0) / 1e9;
      Map<String, Long> after = threadCpu();
      after.replaceAll((k, v) -> v - before.getOrDefault(k, 0L));
      return new Window(elapsed, cpu, after);
    }

    double cpuPercent() {
      return 100.0 * cpuNanos / (seconds * 1e9);
    }

    void printThreads() {
      StringBuilder b = new StringBuilder("  by thread group (% of one core):");
      threadNanos.entrySet().stream()
          .filter(e -> e.getValue() * 1000 / (seconds * 1e9) >= 2) // >= 0.2 %
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(
              e ->
                  b.append(
                      String.format(
                          Locale.ROOT,
                          " %s %.1f;",
                          e.getKey(),
                          100.0 * e.getValue() / (seconds * 1e9))));
      System.out.println(b);
    }

    /** CPU time so far of live threads, summed by name without its trailing number. */
    private static Map<String, Long> threadCpu() {
      Map<String, Long> m = new HashMap<>();
      for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (t == null) {
          continue;
        }
        long cpu = THREADS.getThreadCpuTime(t.getThreadId());
        if (cpu > 0) {
          m.merge(
              t.getThreadName().replaceAll("[-#]?\\d+$", "").replaceAll("\\d+", "N"),
              cpu,
              Long::sum);
        }
      }
      return m;
    }
  }
}
