package io.camflow.e2e.bench;

import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.testsupport.ReplayCameras;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * Benchmark (not a test): how the cost of ingest + packager grows with the number of streams. For
 * each size N (default 1, 10, 50, 100): a fresh local Kafka broker, N replayed RTSP cameras (one
 * ~512 kbit/s H.264 640x360@25 clip, GOP 50, served by {@link ReplayCameras} at little CPU), a
 * config with N streams in mode {@code always}, and IngestMain and PackagerMain as their own
 * processes, started as {@code ./camflow up} starts them. After a warm-up, CPU (utime+stime) and
 * RSS of ingest, packager(s), the broker and the camera source are read from /proc over the window,
 * and the media and CMAF records of every stream are counted: a stream short of its frame rate, or
 * one the packager fell behind on, is a miss, not a figure.
 *
 * <p>Run with {@code ./camflow bench scale} (options: {@code -Dstreams=1,10,50,100 -Dwarmup=20
 * -Dseconds=60 -Dkbps=512 -Dpackagers=1}; packager figures are the sum over the packager
 * processes). Results and how to read them: docs/BENCHMARKS.md.
 */
public final class ScaleBenchmark {

  private static final int FPS = 25;
  private static final int GOP = 50;

  /** A stream whose records over the window fall below this share of the frame rate is a miss. */
  private static final double MIN_RATE = 0.95;

  /**
   * A stream the packager had not packaged up to this many access units before the end is a miss.
   */
  private static final int MAX_PACKAGER_LAG = 2 * FPS;

  /** One size's figures; CPU in % of one core, memory in MiB. */
  record Result(
      int streams,
      int misses,
      List<String> missed,
      double packagedPerSecond,
      double packagerBehind,
      double ingestCpu,
      double packagerCpu,
      double ingestRss,
      double packagerRss,
      double kafkaCpu,
      double kafkaRss,
      double sourceCpu,
      double machineBusy,
      double loadAverage,
      double seconds) {}

  public static void main(String[] args) throws Exception {
    int[] sizes =
        Arrays.stream(System.getProperty("streams", "1,10,50,100").split(","))
            .map(String::trim)
            .mapToInt(Integer::parseInt)
            .toArray();
    int warmup = Integer.getInteger("warmup", 20);
    int seconds = Integer.getInteger("seconds", 60);
    int kbps = Integer.getInteger("kbps", 512);
    int packagers = Integer.getInteger("packagers", 1);
    int cores = Runtime.getRuntime().availableProcessors();
    Path work = Files.createTempDirectory("camflow-bench-scale");
    System.out.printf(
        Locale.ROOT,
        "scale benchmark: streams %s, 640x360@%d H.264 ~%d kbps GOP %d replayed; "
            + "%d packager process(es); warm-up %d s, measuring %d s; %d cores; logs in %s%n",
        Arrays.toString(sizes),
        FPS,
        kbps,
        GOP,
        packagers,
        warmup,
        seconds,
        cores,
        work);
    List<Result> results = new ArrayList<>();
    for (int n : sizes) {
      Result r = run(n, packagers, warmup, seconds, kbps, work.resolve("streams-" + n));
      results.add(r);
      print(List.of(r), cores, false); // each size as soon as it is measured
    }
    System.out.println();
    print(results, cores, true);
  }

  private static Result run(int n, int packagers, int warmup, int seconds, int kbps, Path dir)
      throws Exception {
    Files.createDirectories(dir);
    List<String> streams = IntStream.rangeClosed(1, n).mapToObj(i -> "s" + i + ".main").toList();
    try (LocalKafka kafka =
            LocalKafka.start(dir.resolve("kafka"), FreePorts.find(), FreePorts.find());
        ReplayCameras cameras =
            ReplayCameras.start(new ReplayCameras.Settings(n, 640, 360, FPS, GOP, kbps));
        Admin admin = Admin.create(adminProperties(kafka))) {
      Path config = writeConfig(dir, kafka, cameras, n);
      Process ingest =
          startService(
              "io.camflow.ingest.IngestMain",
              dir,
              "ingest",
              Map.of("CAMFLOW_CONFIG", config.toString()));
      List<Process> services = new ArrayList<>(List.of(ingest));
      for (int i = 1;
          i <= packagers;
          i++) { // more than one share the streams through their consumer group
        services.add(
            startService(
                "io.camflow.packager.PackagerMain",
                dir,
                "packager-" + i,
                Map.of("CAMFLOW_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers())));
      }
      try {
        System.out.printf(
            Locale.ROOT,
            "%d streams: clip %d kbps; waiting until every stream has CMAF records%n",
            n,
            cameras.clipKbps());
        awaitFlowing(admin, streams, Duration.ofSeconds(60 + n), services, dir);
        Thread.sleep(Duration.ofSeconds(warmup));
        // ingest, kafka, source, then the packagers
        long[] pids =
            Stream.concat(
                    Stream.of(ingest.pid(), kafka.process().pid(), cameras.pid()),
                    services.stream().skip(1).map(Process::pid))
                .mapToLong(Long::longValue)
                .toArray();
        ProcessCost[] before = costs(pids);
        MachineLoad machineBefore = MachineLoad.now();
        StreamProgress progressBefore = StreamProgress.of(admin, streams);
        Thread.sleep(Duration.ofSeconds(seconds));
        ProcessCost[] after = costs(pids);
        MachineLoad machineAfter = MachineLoad.now();
        StreamProgress progressAfter = StreamProgress.of(admin, streams);
        if (!services.stream().allMatch(Process::isAlive) || !cameras.isRunning()) {
          throw new IllegalStateException("a measured process died; logs in " + dir);
        }
        double window = (after[0].atNanos() - before[0].atNanos()) / 1e9;
        List<String> missed = missed(streams, progressBefore, progressAfter, window);
        double behind =
            streams.stream().mapToLong(progressAfter::packagerLag).max().orElse(0) / (double) FPS;
        double packaged = progressAfter.packagedSince(progressBefore) / window;
        double packagerCpu = 0;
        double packagerRss = 0;
        for (int i = 3; i < pids.length; i++) {
          packagerCpu += after[i].cpuPercentSince(before[i]);
          packagerRss += after[i].rssMiB();
        }
        return new Result(
            n,
            missed.size(),
            missed,
            packaged,
            behind,
            after[0].cpuPercentSince(before[0]),
            packagerCpu,
            after[0].rssMiB(),
            packagerRss,
            after[1].cpuPercentSince(before[1]),
            after[1].rssMiB(),
            after[2].cpuPercentSince(before[2]),
            machineAfter.busyPercentSince(machineBefore),
            machineAfter.loadAverage(),
            window);
      } finally {
        for (Process p : services) {
          stop(p);
        }
      }
    } finally {
      deleteTree(
          dir.resolve("kafka").resolve("kraft")); // ~1 GB of topics at 100 streams; logs stay
    }
  }

  /**
   * Streams short of the frame rate in media or CMAF records, or that the packager fell behind on.
   */
  static List<String> missed(
      List<String> streams, StreamProgress before, StreamProgress after, double window) {
    long expected = Math.round(FPS * window * MIN_RATE);
    List<String> missed = new ArrayList<>();
    for (String s : streams) {
      long media = after.mediaSince(before, s);
      long cmaf =
          after.cmafSince(before, s); // one chunk per access unit, plus part and segment records
      long lag = after.packagerLag(s);
      if (media < expected || cmaf < expected || lag > MAX_PACKAGER_LAG) {
        missed.add(
            String.format(
                Locale.ROOT,
                "%s (media %d, cmaf %d records in %.0f s, packager %d behind)",
                s,
                media,
                cmaf,
                window,
                lag));
      }
    }
    return missed;
  }

  private static void print(List<Result> results, int cores, boolean summary) {
    if (summary) {
      System.out.println(
          "CPU in % of one core; 'machine %' = (ingest + packager) as % of all "
              + cores
              + " cores (target at 100 streams: < 60 %); AU/s = access units the packager packaged per second, all"
              + " streams (need: streams x "
              + FPS
              + " fps); behind = the packager's largest backlog at the end, in"
              + " seconds of video; RSS in MiB; load = 1-min load average at the end of the "
              + "window; busy = all processes on the machine, % of all cores");
    }
    System.out.println(
        "streams  misses  AU/s (need)  behind  ingest  /stream  packager  /stream  machine%"
            + "  ingestRSS  packagerRSS  kafka  kafkaRSS  source  busy%  load");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%7d  %6d  %5.0f (%4d)  %5.1fs  %6.1f  %7.2f  %8.1f  %7.2f  %8.1f"
              + "  %9.0f  %11.0f  %5.1f  %8.0f  %6.1f  %5.0f  %4.1f%n",
          r.streams,
          r.misses,
          r.packagedPerSecond,
          r.streams * FPS,
          r.packagerBehind,
          r.ingestCpu,
          r.ingestCpu / r.streams,
          r.packagerCpu,
          r.packagerCpu / r.streams,
          (r.ingestCpu + r.packagerCpu) / cores,
          r.ingestRss,
          r.packagerRss,
          r.kafkaCpu,
          r.kafkaRss,
          r.sourceCpu,
          r.machineBusy,
          r.loadAverage);
      if (!summary) {
        r.missed.stream().limit(10).forEach(m -> System.out.println("  miss: " + m));
      }
    }
    if (summary && results.size() > 1) {
      Result small = results.stream().min(Comparator.comparingInt(Result::streams)).orElseThrow();
      Result large = results.stream().max(Comparator.comparingInt(Result::streams)).orElseThrow();
      int more = large.streams - small.streams;
      if (more > 0) {
        System.out.printf(
            Locale.ROOT,
            "marginal cost of a stream from %d to %d streams: ingest %.2f %% of a core"
                + " and %.1f MiB, packager %.2f %% of a core and %.1f MiB%n",
            small.streams,
            large.streams,
            (large.ingestCpu - small.ingestCpu) / more,
            (large.ingestRss - small.ingestRss) / more,
            (large.packagerCpu - small.packagerCpu) / more,
            (large.packagerRss - small.packagerRss) / more);
      }
    }
  }

  private static Path writeConfig(Path dir, LocalKafka kafka, ReplayCameras cameras, int n)
      throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            """
        kafka:
          bootstrapServers: %s
        limits:
          maxCameraConnections: %d
        cameras:
        """
                .formatted(kafka.bootstrapServers(), Math.max(64, n)));
    for (int i = 1; i <= n; i++) {
      yaml.append(
          """
            s%d:
              streams:
                main:
                  url: %s
                  transport: tcp
                  mode: always
          """
              .formatted(i, cameras.url(i)));
    }
    Path config = dir.resolve("camflow.yaml");
    Files.writeString(config, yaml);
    return config;
  }

  /**
   * A service main as its own JVM: same java and class path as this one, no JVM options (as
   * ./camflow up).
   */
  private static Process startService(String main, Path dir, String name, Map<String, String> env)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), main)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().putAll(env);
    pb.environment()
        .put("CAMFLOW_ROUTES", Path.of("..", "routes").toAbsolutePath().normalize().toString());
    pb.environment()
        .put("CAMFLOW_INSTANCE_ID", name + "-bench"); // static group members: distinct per process
    pb.environment().put("CAMFLOW_METRICS_PORT", Integer.toString(FreePorts.find()));
    return pb.start();
  }

  private static void awaitFlowing(
      Admin admin, List<String> streams, Duration timeout, List<Process> services, Path dir)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> waiting = streams;
    while (true) {
      if (!services.stream().allMatch(Process::isAlive)) {
        throw new IllegalStateException("ingest or packager exited; logs in " + dir);
      }
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      waiting =
          streams.stream()
              .filter(
                  s ->
                      !topics.contains("camflow.media." + s)
                          || !topics.contains("camflow.cmaf." + s))
              .toList();
      if (waiting.isEmpty()) {
        StreamProgress p = StreamProgress.of(admin, streams);
        waiting = streams.stream().filter(s -> p.cmaf().get(s) == 0).toList();
      }
      if (waiting.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            waiting.size()
                + " streams have no CMAF records after "
                + timeout.toSeconds()
                + " s, e.g. "
                + waiting.get(0)
                + "; logs in "
                + dir);
      }
      Thread.sleep(1000);
    }
  }

  private static ProcessCost[] costs(long[] pids) throws Exception {
    ProcessCost[] c = new ProcessCost[pids.length];
    for (int i = 0; i < pids.length; i++) {
      c[i] = ProcessCost.of(pids[i]);
    }
    return c;
  }

  private static Properties adminProperties(LocalKafka kafka) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    return p;
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
