package io.camflow.packager.bench;

import io.camflow.media.AccessUnit;
import io.camflow.packager.thumbnail.Thumbnailer;
import io.camflow.picture.Picture;
import io.camflow.picture.PictureMaker;
import io.camflow.testsupport.EncodedStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): what one timeline thumbnail costs the packager — a keyframe decoded
 * alone, scaled to fit 256 x 144 and encoded as a JPEG ({@link Thumbnailer#SPEC}) — for the
 * benchmarks' busy 1080p25 4 Mbit/s camera and a 640 x 360 sub stream, on one thread as the
 * thumbnailer runs it, and the share of a core per stream at the default 10 s interval.
 *
 * <p>Run with {@code ./camflow bench thumbnails} (options: {@code -Drounds=200}).
 */
public final class ThumbnailBenchmark {

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("rounds", 200);
    measure("1920x1080, ~4 Mbit/s, noise", EncodedStream.busy1080p(), rounds);
    measure("640x360 testsrc2", EncodedStream.h264(4, 50, 640, 360), rounds);
  }

  private static void measure(String name, List<AccessUnit> units, int rounds) {
    List<AccessUnit> keyframes = units.stream().filter(AccessUnit::keyframe).toList();
    for (int i = 0; i < 20; i++) { // warm-up: JIT and FFmpeg's tables
      PictureMaker.at(
          List.of(keyframes.get(i % keyframes.size())), Long.MAX_VALUE, 0, Thumbnailer.SPEC);
    }
    long[] nanos = new long[rounds];
    long bytes = 0;
    Picture last = null;
    for (int i = 0; i < rounds; i++) {
      AccessUnit kf = keyframes.get(i % keyframes.size());
      long t0 = System.nanoTime();
      last = PictureMaker.at(List.of(kf), Long.MAX_VALUE, 0, Thumbnailer.SPEC);
      nanos[i] = System.nanoTime() - t0;
      bytes += last.bytes().length;
    }
    Arrays.sort(nanos);
    double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "%s: %d keyframes of %.0f kB: a thumbnail (%dx%d, %.1f kB) takes p50 %.1f ms, p95 %.1f ms,"
            + " mean %.1f ms: %.3f %% of a core per stream at one per 10 s%n",
        name,
        rounds,
        keyframes.stream().mapToInt(k -> k.data().length).average().orElse(0) / 1024,
        last.width(),
        last.height(),
        bytes / 1024.0 / rounds,
        nanos[rounds / 2] / 1e6,
        nanos[rounds * 95 / 100] / 1e6,
        mean,
        mean / 10_000 * 100);
  }
}
