package io.camflow.e2e.bench;

import io.camflow.delivery.sessions.Protocol;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.Codec;
import io.camflow.media.record.MediaRecordFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Benchmark (not a test): how many WebRTC viewers of one stream delivery serves before frames drop
 * (issue 6: target ≥ 200 of one 1080p stream on 2 cores). Ingest, packager and delivery run in this
 * JVM ({@link MsePipeline} with WHEP on), camera and Kafka in processes of their own, the viewers
 * in a child JVM ({@link WhepFanoutClients}: {@link WhepLoadClient}s, real ICE, DTLS and SRTP over
 * loopback UDP) so that their CPU is measured apart. Default camera as for mse-fanout: 1920x1080 25
 * fps, GOP 50, x264 4000 kbit/s, pattern {@code snow}.
 *
 * <p>Measured without viewers, then for each count of {@code -Dviewers} (a comma list runs one
 * after the other on the same pipeline: {@code 100,200,300}) over {@code -Dseconds} (60): this
 * process's CPU and heap after GC, the viewer JVM's CPU, the machine's, per viewer the frames it
 * got against the frames the stream had in the window, and packets lost, NACKed and recovered.
 * {@code -Ddecrypt=false} makes the viewers count SRTP packets from their plain headers without
 * decrypting (less client CPU; keyframes then read 0). Run with {@code ./camflow bench
 * webrtc-fanout [-Dviewers=200 -Dseconds=60 -Dwidth=1920 -Dheight=1080 -Dgop=50 -Dkbps=4000
 * -Dpattern=snow -Ddecrypt=true]}.
 */
public final class WhepFanoutBenchmark {

  /**
   * A viewer that got this many frames fewer than the stream had still counts as complete: the
   * viewers' counts and the stream's are read a moment apart, and on a loaded machine the viewer
   * JVM may answer a few frames late (0.2 s at 25 fps).
   */
  private static final int FRAME_SLACK = 5;

  public static void main(String[] args) throws Exception {
    if (System.getProperty("pattern") == null) {
      System.setProperty("pattern", "snow");
    }
    int[] counts =
        Arrays.stream(System.getProperty("viewers", "200").split(","))
            .map(String::trim)
            .mapToInt(Integer::parseInt)
            .toArray();
    int seconds = Integer.getInteger("seconds", 60);
    int gop = Integer.getInteger("gop", 50);
    boolean decrypt = Boolean.parseBoolean(System.getProperty("decrypt", "true"));
    long self = ProcessHandle.current().pid();
    try (MsePipeline p =
        new MsePipeline(
            Integer.getInteger("width", 1920),
            Integer.getInteger("height", 1080),
            gop,
            Integer.getInteger("kbps", 4000),
            Arrays.stream(counts).max().orElse(0) + 50,
            true)) {
      MseBenchmark.warm(p);
      Thread.sleep(10_000);
      System.out.printf(
          Locale.ROOT,
          "camera %dx%d 25 fps, GOP %d, %d kbit/s, pattern %s; %d cores; viewers %s%n",
          p.camera.width(),
          p.camera.height(),
          gop,
          p.camera.bitrateKbps(),
          System.getProperty("pattern"),
          Runtime.getRuntime().availableProcessors(),
          decrypt ? "decrypt SRTP" : "count SRTP headers only");

      AtomicLong frames =
          new AtomicLong(); // video access units the stream had: what a viewer that keeps up gets
      Thread counter =
          new Thread(
              () -> countFrames(LocalKafka.shared().bootstrapServers(), frames), "bench-frames");
      counter.setDaemon(true);
      counter.start();
      long[] heapWithout = MseFanoutBenchmark.heapAfterGc();
      long rssWithout = ClientProcess.rssBytes(self);
      String load0 = MseLatencyBenchmark.loadAverage();
      long[] machine0 = machineTicks();
      MseFanoutBenchmark.Window idle = MseFanoutBenchmark.Window.measure(seconds);
      System.out.printf(
          Locale.ROOT,
          "without viewers (load average %s → %s; machine %.0f %% busy):%n",
          load0,
          MseLatencyBenchmark.loadAverage(),
          busyPercent(machine0, machineTicks()));
      System.out.printf(
          Locale.ROOT,
          "  heap after GC %.1f MB, RSS %.1f MB, process CPU %.1f %% of one core%n",
          heapWithout[2] / 1e6,
          rssWithout / 1e6,
          idle.cpuPercent());
      idle.printThreads();

      Thread sampler = new Thread(WhepFanoutBenchmark::sampleReader, "bench-reader-sampler");
      sampler.setDaemon(true);
      sampler.start();
      for (int viewers : counts) {
        readerState(); // from here on
        run(p, viewers, seconds, decrypt, frames, idle, heapWithout[2], self);
        Thread.sleep(5_000); // the sessions of this round end
      }
    }
    System.exit(0);
  }

  private static void run(
      MsePipeline p,
      int viewers,
      int seconds,
      boolean decrypt,
      AtomicLong frames,
      MseFanoutBenchmark.Window idle,
      long heapWithout,
      long self)
      throws Exception {
    long opening = System.nanoTime();
    try (ClientProcess clients =
        ClientProcess.start(
            WhepFanoutClients.class,
            viewers,
            p.whepUrl(),
            Integer.toString(viewers),
            Boolean.toString(decrypt))) {
      double openSeconds = (System.nanoTime() - opening) / 1e9;
      Thread.sleep(10_000); // the GOP bursts of the start are out
      long[] v0 = clients.numbers();
      long frames0 = frames.get();
      long clientTicks0 = ClientProcess.cpuTicks(clients.pid());
      long[] machine0 = machineTicks();
      String load1 = MseLatencyBenchmark.loadAverage();
      MseFanoutBenchmark.Window busy = MseFanoutBenchmark.Window.measure(seconds);
      long[] v1 = clients.numbers();
      long streamFrames = frames.get() - frames0;
      double clientCpu =
          (ClientProcess.cpuTicks(clients.pid()) - clientTicks0) / 100.0 / busy.seconds() * 100;
      double machineBusy = busyPercent(machine0, machineTicks());
      int sessions = p.delivery.sessions().count(Protocol.WEBRTC);
      long rssWith = ClientProcess.rssBytes(self);
      long[] heapWith = MseFanoutBenchmark.heapAfterGc();

      int open = (v1.length - 1) / WhepFanoutClients.FIELDS;
      long[] got = new long[open];
      long packets = 0;
      long bytes = 0;
      long lost = 0;
      long nacked = 0;
      long recovered = 0;
      long keyframes = 0;
      long rejected = 0;
      long keyframeRequests = 0;
      long missedFrames = 0;
      int short_ = 0;
      for (int i = 0; i < open; i++) {
        got[i] = field(v1, i, 5) - field(v0, i, 5);
        packets += field(v1, i, 0) - field(v0, i, 0);
        bytes += field(v1, i, 1) - field(v0, i, 1);
        lost += field(v1, i, 2) - field(v0, i, 2);
        nacked += field(v1, i, 3) - field(v0, i, 3);
        recovered += field(v1, i, 4) - field(v0, i, 4);
        keyframes += field(v1, i, 6) - field(v0, i, 6);
        rejected += field(v1, i, 7) - field(v0, i, 7);
        keyframeRequests += field(v1, i, 8) - field(v0, i, 8);
        if (got[i] < streamFrames - FRAME_SLACK) {
          short_++;
          missedFrames += streamFrames - got[i];
        }
      }
      Arrays.sort(got);
      double s = busy.seconds();
      System.out.printf(
          Locale.ROOT,
          "with %d WebRTC viewers asked, %d open (%d failed to open; %d sessions on the server), "
              + "opened in %.1f s (load average %s → %s; machine %.0f %% of %d cores busy):%n",
          viewers,
          open,
          v1[0],
          sessions,
          openSeconds,
          load1,
          MseLatencyBenchmark.loadAverage(),
          machineBusy,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "  server process CPU %.1f %% of one core (%.1f %% more than without viewers: "
              + "%.2f %% per viewer); viewer JVM %.1f %% of one core%n",
          busy.cpuPercent(),
          busy.cpuPercent() - idle.cpuPercent(),
          (busy.cpuPercent() - idle.cpuPercent()) / Math.max(1, open),
          clientCpu);
      busy.printThreads();
      System.out.printf(
          Locale.ROOT,
          "  heap after GC %.1f MB: %.1f KB per viewer; RSS %.1f MB%n",
          heapWith[2] / 1e6,
          (heapWith[2] - heapWithout) / 1024.0 / Math.max(1, open),
          rssWith / 1e6);
      System.out.printf(
          Locale.ROOT,
          "  received %.1f Mbit/s RTP (%.2f Mbit/s, %.0f packets/s per viewer)%n",
          bytes * 8 / s / 1e6,
          bytes * 8 / s / 1e6 / Math.max(1, open),
          packets / s / Math.max(1, open));
      if (open > 0) {
        System.out.printf(
            Locale.ROOT,
            "  frames per viewer in %.0f s: min %d median %d max %d; the stream had %d "
                + "(%.2f fps): %d of %d viewers got fewer (by more than %d), %d frames missed in all; keyframes %.1f per viewer%n",
            s,
            got[0],
            got[open / 2],
            got[open - 1],
            streamFrames,
            streamFrames / s,
            short_,
            open,
            FRAME_SLACK,
            missedFrames,
            keyframes / (double) open);
      }
      System.out.println(
          "  delivery's WebRTC UDP reader thread, sampled from the open to here: " + readerState());
      System.out.printf(
          Locale.ROOT,
          "  packets: %d lost (%.3f %%), %d NACKed, %d recovered by retransmission; "
              + "%d keyframe requests (PLI); %d rejected by SRTP%n",
          lost,
          packets == 0 ? 0 : 100.0 * lost / (packets + lost),
          nacked,
          recovered,
          keyframeRequests,
          rejected);
    }
  }

  /**
   * Samples of what delivery's UDP reader thread was doing (failed opens: is it stuck sending, or
   * gone?).
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> READER =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Every 50 ms: the reader's state and the first camflow or JDK send/receive frame of its stack.
   */
  private static void sampleReader() {
    while (true) {
      String what =
          Thread.getAllStackTraces().entrySet().stream()
              .filter(e -> e.getKey().getName().equals("camflow-webrtc-udp"))
              .findFirst()
              .map(
                  e ->
                      e.getKey().getState()
                          + " "
                          + Arrays.stream(e.getValue())
                              .map(f -> f.getMethodName())
                              .filter(
                                  m ->
                                      m.equals("send")
                                          || m.equals("receive")
                                          || m.equals("dispatch"))
                              .findFirst()
                              .orElse("other"))
              .orElse("gone");
      READER.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The reader samples since the last call, as shares. */
  private static String readerState() {
    long total = READER.values().stream().mapToLong(AtomicLong::get).sum();
    String out =
        READER.entrySet().stream()
            .sorted(java.util.Map.Entry.comparingByKey())
            .map(
                e ->
                    String.format(
                        Locale.ROOT,
                        "%s %.0f %%",
                        e.getKey(),
                        100.0 * e.getValue().get() / Math.max(1, total)))
            .collect(java.util.stream.Collectors.joining(", "));
    READER.clear();
    return out + " of " + total + " samples";
  }

  private static long field(long[] numbers, int viewer, int field) {
    return numbers[1 + viewer * WhepFanoutClients.FIELDS + field];
  }

  /**
   * Busy and total ticks of all CPUs so far (/proc/stat: everything but idle and iowait is busy).
   */
  private static long[] machineTicks() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
    long[] f =
        Arrays.stream(cpu.substring(3).trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
    long total = 0;
    for (int i = 0; i < Math.min(8, f.length); i++) {
      total += f[i];
    }
    return new long[] {total - f[3] - f[4], total};
  }

  private static double busyPercent(long[] before, long[] after) {
    long total = after[1] - before[1];
    return total == 0 ? 0 : 100.0 * (after[0] - before[0]) / total;
  }

  /** Counts the stream's video access units as they come (runs until the JVM ends). */
  static void countFrames(String bootstrap, AtomicLong frames) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.partition.fetch.bytes", "16778240");
    byte[] h264 = Codec.H264.id().getBytes(StandardCharsets.UTF_8);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition("camflow.media.bench.main", 0);
      c.assign(List.of(tp));
      c.seekToEnd(List.of(tp));
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          Header codec = r.headers().lastHeader(MediaRecordFormat.CODEC);
          if (codec != null && Arrays.equals(codec.value(), h264)) {
            frames.incrementAndGet();
          }
        }
      }
    }
  }
}
