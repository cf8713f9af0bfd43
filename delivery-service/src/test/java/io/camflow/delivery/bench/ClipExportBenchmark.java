package io.camflow.delivery.bench;

import io.camflow.delivery.it.CmafFeed;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.media.AccessUnit;
import io.camflow.testsupport.EncodedStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Clip export and storage: a recording of a 1080p25 ~4 Mbit/s stream ({@code -Dminutes}, default
 * 25) filled at full speed on a broker of its own; then 10-minute clips ({@code -DclipMinutes})
 * exported through delivery ({@code clip.mp4}): cold (planned and sent), again (plan kept), a 1 MB
 * range in the middle; side by side, the same 10 minutes cut by {@code ffmpeg -ss … -t … -c copy}
 * from an MP4 file of the whole recording (itself exported by camflow). And the storage: bytes on
 * disk of the CMAF and index topics per hour against the raw access units' bytes.
 * docs/BENCHMARKS.md.
 */
public final class ClipExportBenchmark {

  private ClipExportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int minutes = Integer.getInteger("minutes", 25);
    int clipMinutes = Integer.getInteger("clipMinutes", 10);
    Path work = Files.createTempDirectory("camflow-clip-export");
    List<AccessUnit> source = EncodedStream.busy1080p();
    long sourceBytes = source.stream().mapToLong(u -> u.data().length).sum();
    double kbps = sourceBytes * 8.0 / (source.size() / 25.0) / 1000;
    System.out.printf(
        Locale.ROOT,
        "stream: 1920x1080@25, GOP 50, %.0f kbps; recording %d min; clips of %d min%n",
        kbps,
        minutes,
        clipMinutes);
    try (LocalKafka kafka =
        LocalKafka.start(work.resolve("kafka"), FreePorts.find(), FreePorts.find())) {
      BenchRecording.createTopics(kafka.bootstrapServers(), "bench", "clip");
      long start = Instant.now().minus(Duration.ofMinutes(minutes + 1)).toEpochMilli();
      long frames = minutes * 60L * EncodedStream.FPS;
      long t = System.nanoTime();
      try (CmafFeed feed =
          new CmafFeed(kafka.bootstrapServers(), "camflow.cmaf.bench.clip", source)) {
        feed.record(start, frames);
      }
      System.out.printf(
          Locale.ROOT, "filled %d min in %.0f s%n", minutes, (System.nanoTime() - t) / 1e9);
      storage(kafka.dataDir(), frames, source);

      try (BenchDelivery delivery = BenchDelivery.start(kafka.bootstrapServers())) {
        HttpClient http = delivery.http;
        int port = delivery.port;
        String base = "http://127.0.0.1:" + port + "/dvr/bench/clip/clip.mp4";
        Path whole = work.resolve("recording.mp4");
        Instant recStart = Instant.ofEpochMilli(start + 1000);
        Instant recEnd = Instant.ofEpochMilli(start + minutes * 60_000L - 1000);
        Download all = download(http, base + "?start=" + recStart + "&end=" + recEnd, null, whole);
        System.out.printf(
            Locale.ROOT,
            "whole recording as one MP4: %.0f MB in %.1f s%n",
            all.bytes / 1e6,
            all.seconds);
        for (int round = 0; round < 2; round++) {
          Instant from = recStart.plus(Duration.ofSeconds(97 + round * 251L));
          Instant to = from.plus(Duration.ofMinutes(clipMinutes));
          String url = base + "?start=" + from + "&end=" + to;
          Path out = work.resolve("clip-" + round + ".mp4");
          Download cold = download(http, url, null, out);
          Download warm = download(http, url, null, out);
          long middle = cold.bytes / 2;
          Download range = download(http, url, "bytes=" + middle + "-" + (middle + 999_999), null);
          double seconds = clipMinutes * 60.0;
          System.out.printf(
              Locale.ROOT,
              "clip %d (%s + %d min): %.0f MB; cold: first byte %.0f ms, all %.2f s = %.0f MB/s ="
                  + " %.0fx real time; again (plan kept): %.2f s = %.0fx; 1 MB range: %.0f ms;"
                  + " ffprobe duration %.2f s%n",
              round,
              from,
              clipMinutes,
              cold.bytes / 1e6,
              cold.firstByteMillis,
              cold.seconds,
              cold.bytes / 1e6 / cold.seconds,
              seconds / cold.seconds,
              warm.seconds,
              seconds / warm.seconds,
              range.seconds * 1000,
              duration(out));
          double offset = Duration.between(recStart, from).toMillis() / 1000.0;
          Path cut = work.resolve("ffmpeg-" + round + ".mp4");
          long f0 = System.nanoTime();
          run(
              "ffmpeg",
              "-v",
              "error",
              "-ss",
              String.format(Locale.ROOT, "%.3f", offset),
              "-t",
              Integer.toString(clipMinutes * 60),
              "-i",
              whole.toString(),
              "-c",
              "copy",
              "-y",
              cut.toString());
          double ffmpegSeconds = (System.nanoTime() - f0) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "  ffmpeg -ss %.3f -t %d -c copy from the MP4 file: %.0f MB in %.2f s = %.0fx real"
                  + " time%n",
              offset,
              clipMinutes * 60,
              Files.size(cut) / 1e6,
              ffmpegSeconds,
              seconds / ffmpegSeconds);
        }
      }
    }
  }

  /** Bytes on disk of the recording's topics against the raw access units written. */
  private static void storage(Path dataDir, long frames, List<AccessUnit> source) throws Exception {
    long raw = 0;
    for (long i = 0; i < frames; i++) {
      raw += source.get((int) (i % source.size())).data().length;
    }
    long cmaf = logBytes(dataDir, "camflow.cmaf.bench.clip-0");
    long index = logBytes(dataDir, "camflow.index.bench.clip-0");
    System.out.printf(
        Locale.ROOT,
        "storage: raw access units %.1f MB; CMAF topic %.1f MB (+%.2f %%), index %.3f MB (+%.3f"
            + " %%); per hour %.2f GB%n",
        raw / 1e6,
        cmaf / 1e6,
        (cmaf - raw) * 100.0 / raw,
        index / 1e6,
        index * 100.0 / raw,
        (cmaf + index) / 1e9 * (3600.0 * 25 / frames));
  }

  private static long logBytes(Path dataDir, String partition) throws Exception {
    try (Stream<Path> dirs = Files.walk(dataDir)) {
      Path dir =
          dirs.filter(d -> d.getFileName().toString().equals(partition))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException(partition + " not under " + dataDir));
      try (Stream<Path> files = Files.list(dir)) {
        return files
            .filter(f -> f.toString().endsWith(".log"))
            .mapToLong(
                f -> {
                  try {
                    return Files.size(f);
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            .sum();
      }
    }
  }

  private record Download(long bytes, double firstByteMillis, double seconds) {}

  private static Download download(HttpClient http, String url, String range, Path to)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5));
    if (range != null) {
      b.header("Range", range);
    }
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200 && r.statusCode() != 206) {
      throw new IllegalStateException(
          url + ": " + r.statusCode() + " " + new String(r.body().readAllBytes()));
    }
    byte[] buffer = new byte[1 << 20];
    long bytes = 0;
    double first = -1;
    try (InputStream in = r.body();
        OutputStream out =
            to == null ? OutputStream.nullOutputStream() : Files.newOutputStream(to)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        if (first < 0) {
          first = (System.nanoTime() - t0) / 1e6;
        }
        out.write(buffer, 0, n);
        bytes += n;
      }
    }
    return new Download(bytes, first, (System.nanoTime() - t0) / 1e9);
  }

  private static double duration(Path file) throws Exception {
    return Double.parseDouble(
        run(
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "csv=p=0",
                file.toString())
            .strip());
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + out);
    }
    return out;
  }
}
