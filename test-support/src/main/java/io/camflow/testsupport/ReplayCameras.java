package io.camflow.testsupport;

import io.camflow.localprocess.FreePorts;
import io.camflow.localprocess.Lifeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * Many cheap RTSP cameras for scale benchmarks: GStreamer's RTSP server (Debian's {@code
 * /usr/bin/python3}, as {@link TestCamera}) encodes one short H.264 clip once and replays it in a
 * loop, paced in real time, at {@code /s1 … /sN}. All mounts share one media, so the source costs
 * about as much for 100 cameras as for one and leaves the CPU to what is measured. No
 * authentication, TCP and UDP.
 *
 * <pre>{@code
 * try (ReplayCameras cameras = ReplayCameras.start(new ReplayCameras.Settings(100, 640, 360, 25, 50, 512))) {
 *     String first = cameras.url(1);        // rtsp://127.0.0.1:<port>/s1
 * }
 * }</pre>
 *
 * <p>The process stops with the JVM, even when the JVM is killed: its stdin is a {@link Lifeline}.
 */
public final class ReplayCameras implements AutoCloseable {

  private static final String SCRIPT_RESOURCE = CameraScripts.REPLAY;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60); // the clip is encoded first
  private static final int STDERR_LINES = 100;

  /**
   * What the cameras serve.
   *
   * @param mounts number of cameras, {@code /s1 … /sN}
   * @param gop key frame interval in frames
   * @param bitrateKbps the encoder's target; {@link #clipKbps()} says what it reached
   * @param clipSeconds length of the clip, rounded up to whole GOPs so that every loop starts on a
   *     key frame
   */
  public record Settings(
      int mounts, int width, int height, int fps, int gop, int bitrateKbps, int clipSeconds) {
    /** A clip of 10 s. */
    public Settings(int mounts, int width, int height, int fps, int gop, int bitrateKbps) {
      this(mounts, width, height, fps, gop, bitrateKbps, 10);
    }

    public Settings {
      if (mounts < 1
          || width < 16
          || height < 16
          || fps < 1
          || gop < 1
          || bitrateKbps < 16
          || clipSeconds < 1) {
        throw new IllegalArgumentException("invalid replay camera settings: " + this);
      }
    }
  }

  private final Process process;
  private final String urlPattern;
  private final int mounts;
  private final int clipKbps;

  private ReplayCameras(Process process, String urlPattern, int mounts, int clipKbps) {
    this.process = process;
    this.urlPattern = urlPattern;
    this.mounts = mounts;
    this.clipKbps = clipKbps;
  }

  /** Encodes the clip, starts serving and returns once the server listens. */
  public static ReplayCameras start(Settings s) {
    int port = FreePorts.find();
    List<String> command = command(s, port);
    Process p;
    try {
      p = Lifeline.attach(new ProcessBuilder(command)).start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run "
              + TestCamera.PYTHON
              + ": the replay cameras need Debian's python3"
              + " with python3-gi and gir1.2-gst-rtsp-server-1.0 (./camflow test installs them)",
          e);
    }
    Deque<String> stderr = new ArrayDeque<>();
    Thread stderrReader =
        daemon("replay-cameras-stderr", () -> keepTail(p.getErrorStream(), stderr));
    CompletableFuture<String> ready = new CompletableFuture<>();
    daemon("replay-cameras-stdout", () -> awaitReady(p.getInputStream(), ready));
    String line;
    try {
      line = ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      line = null;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the replay cameras", e);
    }
    if (line == null) {
      p.destroyForcibly();
      join(stderrReader);
      String tail;
      synchronized (stderr) {
        tail = String.join("\n", stderr);
      }
      throw new IllegalStateException(
          "replay cameras on port "
              + port
              + " did not start\n--- stderr of "
              + SCRIPT_RESOURCE
              + " ---\n"
              + tail);
    }
    // READY rtsp://127.0.0.1:<port>/s{n} <mounts> <kbps>
    String[] parts = line.split(" ");
    ReplayCameras cameras =
        new ReplayCameras(p, parts[1], Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "replay-cameras-stop"));
    return cameras;
  }

  /** The URL of camera {@code n}, 1-based. */
  public String url(int n) {
    if (n < 1 || n > mounts) {
      throw new IllegalArgumentException("camera " + n + " is not one of 1.." + mounts);
    }
    return urlPattern.replace("{n}", Integer.toString(n));
  }

  public List<String> urls() {
    return IntStream.rangeClosed(1, mounts).mapToObj(this::url).toList();
  }

  /** The bit rate the encoded clip really has (kbit/s). */
  public int clipKbps() {
    return clipKbps;
  }

  /** The server's process id, to measure what the source costs. */
  public long pid() {
    return process.pid();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitReady(InputStream in, CompletableFuture<String> ready) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("READY ")) {
          ready.complete(line);
        }
      }
    } catch (IOException ignored) {
      // the process went away
    } finally {
      ready.complete(null);
    }
  }

  private static void keepTail(InputStream in, Deque<String> tail) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (tail) {
          if (tail.size() == STDERR_LINES) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
      }
    } catch (IOException ignored) {
      // the process went away
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void join(Thread t) {
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<String> command(Settings s, int port) {
    return List.of(
        TestCamera.PYTHON.toString(),
        "-u",
        "-B",
        CameraScripts.path(SCRIPT_RESOURCE).toString(),
        "--address",
        TestCamera.HOST,
        "--port",
        Integer.toString(port),
        "--mounts",
        Integer.toString(s.mounts()),
        "--width",
        Integer.toString(s.width()),
        "--height",
        Integer.toString(s.height()),
        "--fps",
        Integer.toString(s.fps()),
        "--gop",
        Integer.toString(s.gop()),
        "--bitrate-kbps",
        Integer.toString(s.bitrateKbps()),
        "--clip-seconds",
        Integer.toString(s.clipSeconds()),
        "--lifeline");
  }
}
