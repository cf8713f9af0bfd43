package io.camflow.delivery.bench;

import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.media.AccessUnit;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.testsupport.EncodedStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A picture wall on one delivery (docs/pictures.md, "Frames socket"): {@code -Dcameras} (50)
 * cameras, each a sub stream of {@code -Dheight} (360: 640x360, or 180, or 1080 for the busy 1080p
 * main stream) at 25 fps, GOP 2 s, written live into their media topics by one producer; one frames
 * socket per camera asking {@code -Dfps} (2) pictures a second {@code -Dwidth} (320) px wide. This
 * process's CPU with the cameras alone and then with the wall (the difference is what the wall
 * costs delivery: decoding every frame of every camera, encoding the pictures, sending them), the
 * pictures each socket received per second, and their age (capture to receipt). docs/BENCHMARKS.md.
 */
public final class FramesWallBenchmark {

  private FramesWallBenchmark() {}

  public static void main(String[] args) throws Exception {
    int cameras = Integer.getInteger("cameras", 50);
    int height = Integer.getInteger("height", 360);
    double fps = Double.parseDouble(System.getProperty("fps", "2"));
    int width = Integer.getInteger("width", 320);
    int seconds = Integer.getInteger("seconds", 30);
    List<AccessUnit> clip =
        height == 1080
            ? EncodedStream.busy1080p()
            : EncodedStream.h264(
                "testsrc2=size=" + height * 16 / 9 + "x" + height + ":rate=25,noise=alls=20:allf=t",
                10,
                50,
                "-b:v",
                height >= 360 ? "600k" : "200k");
    long clipBytes = clip.stream().mapToLong(u -> u.data().length).sum();
    System.out.printf(
        Locale.ROOT,
        "%d cameras of %dx%d@25, GOP 2 s, %.0f kbit/s each; a frames socket each: %.1f fps, %d px%n",
        cameras,
        height * 16 / 9,
        height,
        clipBytes * 8 / (clip.size() / 25.0) / 1000,
        fps,
        width);
    Path work = Files.createTempDirectory("camflow-frames-wall");
    try (LocalKafka kafka =
            LocalKafka.start(work.resolve("kafka"), FreePorts.find(), FreePorts.find());
        Cameras feed = new Cameras(kafka.bootstrapServers(), cameras, clip)) {
      List<String> topics = new ArrayList<>();
      for (int c = 0; c < cameras; c++) {
        topics.add("camflow.media.wall" + c + ".sub");
        topics.add("camflow.cmaf.wall" + c + ".sub");
      }
      BenchRecording.topics(kafka.bootstrapServers(), topics.toArray(String[]::new));
      feed.start();
      try (BenchDelivery delivery = BenchDelivery.start(kafka.bootstrapServers())) {
        Thread.sleep(10_000);
        double idle = cpu(Math.min(20, seconds));
        System.out.printf(
            Locale.ROOT,
            "the cameras' producer and an idle delivery: %.1f %% of a core%n",
            idle * 100);
        List<Viewer> wall = new ArrayList<>();
        for (int c = 0; c < cameras; c++) {
          wall.add(
              Viewer.open(
                  delivery,
                  URI.create(
                      delivery
                          .url("/live/wall" + c + "/sub/frames?fps=" + fps + "&width=" + width)
                          .replace("http:", "ws:"))));
        }
        Thread.sleep(10_000); // every socket past its first keyframe
        wall.forEach(Viewer::reset);
        double watched = cpu(seconds);
        List<Double> rates = new ArrayList<>();
        List<Double> ages = new ArrayList<>();
        long bytes = 0;
        for (Viewer v : wall) {
          rates.add(v.pictures.get() / (double) seconds);
          ages.addAll(v.ages);
          bytes += v.bytes.get();
        }
        System.out.printf(
            Locale.ROOT,
            "with the wall: %.1f %% of a core, %.1f %% more; pictures per socket per second: min"
                + " %.2f, median %.2f, max %.2f (asked %.1f); age at receipt p50 %.0f ms, p95 %.0f"
                + " ms; %.0f kbit/s to the wall%n",
            watched * 100,
            (watched - idle) * 100,
            BenchDelivery.percentile(rates, 0),
            BenchDelivery.percentile(rates, 50),
            BenchDelivery.percentile(rates, 100),
            fps,
            ages.isEmpty() ? Double.NaN : BenchDelivery.percentile(ages, 50),
            ages.isEmpty() ? Double.NaN : BenchDelivery.percentile(ages, 95),
            bytes * 8 / 1000.0 / seconds);
        wall.forEach(Viewer::close);
      }
    }
  }

  /** This process's CPU over {@code seconds}, in cores. */
  private static double cpu(int seconds) throws InterruptedException {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    return (os.getProcessCpuTime() - c0) / (double) (System.nanoTime() - t0);
  }

  /** The cameras: one thread and one producer writing every camera's next unit each 40 ms. */
  private static final class Cameras implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final int cameras;
    private final List<AccessUnit> clip;
    private volatile boolean running = true;
    private Thread thread;

    Cameras(String bootstrap, int cameras, List<AccessUnit> clip) {
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      p.put("linger.ms", "2");
      p.put("max.request.size", Integer.toString(16 * 1024 * 1024));
      this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
      this.cameras = cameras;
      this.clip = clip;
    }

    void start() {
      long since = System.currentTimeMillis();
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("wall-cameras")
              .start(
                  () -> {
                    for (long i = 0; running; i++) {
                      long due = since + i * 40;
                      long wait = due - System.currentTimeMillis();
                      if (wait > 0) {
                        try {
                          Thread.sleep(wait);
                        } catch (InterruptedException e) {
                          return;
                        }
                      }
                      AccessUnit au = EncodedStream.looped(clip, i);
                      for (int c = 0; c < cameras; c++) {
                        ProducerRecord<byte[], byte[]> r =
                            new ProducerRecord<>(
                                "camflow.media.wall" + c + ".sub", 0, due, null, au.data());
                        MediaRecordFormat.headers(au, "wall")
                            .forEach((k, v) -> r.headers().add(k, v));
                        producer.send(r);
                      }
                    }
                  });
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      if (thread != null) {
        thread.interrupt();
        thread.join(5_000);
      }
      producer.close();
    }
  }

  /** One canvas of the wall: counts the pictures, their bytes and their age at receipt. */
  private static final class Viewer implements WebSocket.Listener {
    final AtomicLong pictures = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final ConcurrentLinkedQueue<Double> ages = new ConcurrentLinkedQueue<>();
    private ByteBuffer message = ByteBuffer.allocate(1 << 20);
    private WebSocket socket;

    static Viewer open(BenchDelivery delivery, URI uri) throws Exception {
      Viewer v = new Viewer();
      v.socket = delivery.http.newWebSocketBuilder().buildAsync(uri, v).get(30, TimeUnit.SECONDS);
      return v;
    }

    void reset() {
      pictures.set(0);
      bytes.set(0);
      ages.clear();
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      if (message.remaining() < data.remaining()) {
        ByteBuffer larger = ByteBuffer.allocate((message.position() + data.remaining()) * 2);
        message.flip();
        larger.put(message);
        message = larger;
      }
      message.put(data);
      if (last) {
        message.flip();
        long capture = message.getLong(0);
        ages.add((double) (System.currentTimeMillis() - capture));
        pictures.incrementAndGet();
        bytes.addAndGet(message.remaining());
        message.clear();
      }
      ws.request(1);
      return null;
    }

    void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }
  }
}
