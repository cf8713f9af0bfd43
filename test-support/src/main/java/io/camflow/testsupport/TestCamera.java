package io.camflow.testsupport;

import io.camflow.localprocess.FreePorts;
import io.camflow.localprocess.Lifeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real RTSP camera for tests: GStreamer's RTSP server (Debian's {@code /usr/bin/python3} with
 * python3-gi and gir1.2-gst-rtsp-server-1.0) serving a live synthetic picture — a moving ball with
 * a running clock — as H.264 or H.265, optionally with AAC, PCMU or PCMA audio (a 440 Hz tone at
 * 0.2), Digest authentication and a machine-readable wall clock in the picture ({@link
 * Builder#clockCode}). One shared media per camera: every client sees the same live stream.
 *
 * <pre>{@code
 * try (TestCamera camera = TestCamera.builder().codec(TestCamera.Codec.H264).size(1280, 720)
 *         .credentials("admin", "secret").start()) {
 *     String url = camera.url();            // rtsp://127.0.0.1:<port>/main, without credentials
 *     camera.kill();                        // the camera "crashes"
 *     camera.restart();                     // and comes back on the same port
 * }
 * }</pre>
 *
 * <p>The camera process stops with the JVM, even when the JVM is killed: its stdin is a {@link
 * Lifeline}.
 */
public final class TestCamera implements AutoCloseable {

  /**
   * The Python that has GStreamer's bindings: Debian's, not whatever {@code python3} is on PATH.
   */
  public static final Path PYTHON =
      Path.of(System.getProperty("camflow.testcamera.python", "/usr/bin/python3"));

  public static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  public static final String HOST = "127.0.0.1";

  private static final String SCRIPT_RESOURCE = CameraScripts.CAMERA;

  /** The script's exit code when it cannot listen on its port. */
  private static final int EXIT_CANNOT_LISTEN = 2;

  /**
   * How long a restart keeps retrying a port it cannot listen on yet. GStreamer binds with
   * SO_REUSEADDR, so a restart right after a kill normally binds at once; this is insurance.
   */
  private static final Duration RESTART_BIND_RETRY = Duration.ofSeconds(3);

  private static final int STDERR_LINES = 200;

  private static final Set<TestCamera> RUNNING = new LinkedHashSet<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  List<TestCamera> cameras;
                  synchronized (RUNNING) {
                    cameras = new ArrayList<>(RUNNING);
                  }
                  cameras.forEach(TestCamera::kill);
                },
                "camflow-test-cameras-stop"));
  }

  public enum Codec {
    H264,
    H265
  }

  public enum Audio {
    NONE,
    AAC,
    PCMU,
    PCMA
  }

  /** The RTP transports the camera offers. */
  public enum Transport {
    TCP,
    UDP,
    TCP_AND_UDP
  }

  /**
   * Where the parameter sets (SPS/PPS, and VPS for H.265) travel. {@code SDP_ONLY}: only in the
   * SDP's sprop parameters, as some cameras do (for H.265 the encoder still puts them ahead of the
   * very first frame of a media session).
   */
  public enum ParameterSets {
    IN_BAND,
    SDP_ONLY
  }

  /** How the camera asks for credentials when it has some. */
  public enum Auth {
    DIGEST,
    BASIC
  }

  private final Codec codec;
  private final int width;
  private final int height;
  private final int fps;
  private final int gop;
  private final int bitrateKbps;
  private final Audio audio;
  private final String user;
  private final String password;
  private final int port;
  private final String path;
  private final Transport transport;
  private final ParameterSets parameterSets;
  private final int slices;
  private final int bframes;
  private final long rtpTimestampOffset;
  private final Auth auth;
  private final String pattern;
  private final boolean clockCode;
  private final Path tlsCert;
  private final Path tlsKey;

  private Process process;
  private final Deque<String> stderr = new ArrayDeque<>();
  private Thread stderrReader;

  private TestCamera(Builder b) {
    this.codec = b.codec;
    this.width = b.width;
    this.height = b.height;
    this.fps = b.fps;
    this.gop = b.gop;
    this.bitrateKbps = b.bitrateKbps;
    this.audio = b.audio;
    this.user = b.user;
    this.password = b.password;
    this.port = b.port > 0 ? b.port : FreePorts.find();
    this.path = b.path;
    this.transport = b.transport;
    this.parameterSets = b.parameterSets;
    this.slices = b.slices;
    this.bframes = b.bframes;
    this.rtpTimestampOffset = b.rtpTimestampOffset;
    this.auth = b.auth;
    this.pattern = b.pattern;
    this.clockCode = b.clockCode;
    this.tlsCert = b.tlsCert;
    this.tlsKey = b.tlsKey;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the camera and returns once it serves (the script printed READY).
   *
   * @throws IllegalStateException when it does not serve within {@link #START_TIMEOUT}, with the
   *     script's stderr
   */
  public synchronized TestCamera start() {
    return start(Duration.ZERO);
  }

  private TestCamera start(Duration bindRetry) {
    if (isRunning()) {
      throw new IllegalStateException("camera on port " + port + " is already running");
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    long bindDeadline = System.nanoTime() + bindRetry.toNanos();
    while (true) {
      StartFailure failure = tryStart(deadline);
      if (failure == null) {
        return this;
      }
      if (failure.exitCode == EXIT_CANNOT_LISTEN && System.nanoTime() < bindDeadline) {
        sleep(200);
        continue;
      }
      throw new IllegalStateException(
          "RTSP test camera on port "
              + port
              + " "
              + failure.message
              + "\n--- stderr of "
              + SCRIPT_RESOURCE
              + " ---\n"
              + stderr());
    }
  }

  private record StartFailure(String message, int exitCode) {}

  private StartFailure tryStart(long deadline) {
    synchronized (stderr) {
      stderr.clear();
    }
    List<String> command = command();
    try {
      process = Lifeline.attach(new ProcessBuilder(command)).start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run "
              + PYTHON
              + ": the RTSP test camera needs Debian's python3"
              + " with python3-gi and gir1.2-gst-rtsp-server-1.0 (./camflow test installs them)",
          e);
    }
    Process p = process;
    stderrReader = daemon("test-camera-" + port + "-stderr", () -> readStderr(p.getErrorStream()));
    CompletableFuture<String> ready = new CompletableFuture<>();
    daemon("test-camera-" + port + "-stdout", () -> readStdout(p.getInputStream(), ready));
    try {
      String line = ready.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line != null) {
        synchronized (RUNNING) {
          RUNNING.add(this);
        }
        return null;
      }
      // stdout closed before READY: the script exited
      p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      joinStderr();
      int code = p.isAlive() ? -1 : p.exitValue();
      destroy(p, false);
      return new StartFailure("exited with code " + code + " before it served", code);
    } catch (TimeoutException e) {
      destroy(p, true);
      joinStderr();
      return new StartFailure("did not print READY within " + START_TIMEOUT.toSeconds() + " s", -1);
    } catch (ExecutionException e) {
      destroy(p, true);
      joinStderr();
      return new StartFailure("failed: " + e.getCause(), -1);
    } catch (InterruptedException e) {
      destroy(p, true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the RTSP test camera", e);
    }
  }

  /**
   * Stops the camera with SIGTERM (killing it after {@link #STOP_TIMEOUT}); no-op when not running.
   */
  public synchronized void stop() {
    if (process != null) {
      destroy(process, false);
    }
    forget();
  }

  /** Kills the camera with SIGKILL, like a crash or a power cut; no-op when not running. */
  public synchronized void kill() {
    if (process != null) {
      destroy(process, true);
    }
    forget();
  }

  /** Freezes the camera (SIGSTOP): its connections stay open, no packet flows. */
  public synchronized void pause() {
    signal("STOP");
  }

  /** Lets a paused camera go on (SIGCONT). */
  public synchronized void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("camera is not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (!kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " failed for the camera");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the camera if it runs and starts it again on the same port with the same settings. */
  public synchronized TestCamera restart() {
    stop();
    return start(RESTART_BIND_RETRY);
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The camera process while it runs. */
  public synchronized Optional<ProcessHandle> process() {
    return isRunning() ? Optional.of(process.toHandle()) : Optional.empty();
  }

  /**
   * {@code rtsp://127.0.0.1:<port><path>} ({@code rtsps://} with {@link Builder#tls}), without
   * credentials.
   */
  public String url() {
    return url(HOST);
  }

  /** {@link #url()} with another host name or address (that reaches this camera) in it. */
  public String url(String host) {
    return (tlsCert == null ? "rtsp://" : "rtsps://") + host + ":" + port + path;
  }

  /**
   * {@link #url()} with the credentials in it (percent-encoded), or without when there are none.
   */
  public String urlWithCredentials() {
    return Ffprobe.withCredentials(url(), user, password);
  }

  public int port() {
    return port;
  }

  public String path() {
    return path;
  }

  /** The Digest user, or null when the camera needs no credentials. */
  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public Codec codec() {
    return codec;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int fps() {
    return fps;
  }

  public int gop() {
    return gop;
  }

  public int bitrateKbps() {
    return bitrateKbps;
  }

  public Audio audio() {
    return audio;
  }

  public Transport transport() {
    return transport;
  }

  public ParameterSets parameterSets() {
    return parameterSets;
  }

  /** The last lines the camera script wrote to stderr (GStreamer errors land here). */
  public String stderr() {
    synchronized (stderr) {
      return stderr.isEmpty() ? "(empty)\n" : String.join("\n", stderr) + "\n";
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "TestCamera["
        + url()
        + ", "
        + codec
        + " "
        + width
        + "x"
        + height
        + "@"
        + fps
        + ", gop "
        + gop
        + ", audio "
        + audio
        + (user != null ? ", digest auth" : "")
        + ", "
        + transport
        + (tlsCert != null ? ", tls" : "")
        + "]";
  }

  // ---- internals
  // ----------------------------------------------------------------------------------

  List<String> command() {
    List<String> c =
        new ArrayList<>(
            List.of(
                PYTHON.toString(),
                "-u",
                "-B",
                script().toString(),
                "--address",
                HOST,
                "--port",
                Integer.toString(port),
                "--path",
                path,
                "--codec",
                codec.name().toLowerCase(Locale.ROOT),
                "--width",
                Integer.toString(width),
                "--height",
                Integer.toString(height),
                "--fps",
                Integer.toString(fps),
                "--gop",
                Integer.toString(gop),
                "--bitrate-kbps",
                Integer.toString(bitrateKbps),
                "--audio",
                audio.name().toLowerCase(Locale.ROOT),
                "--params",
                parameterSets == ParameterSets.IN_BAND ? "inband" : "sdp-only",
                "--protocols",
                switch (transport) {
                  case TCP -> "tcp";
                  case UDP -> "udp";
                  case TCP_AND_UDP -> "tcp+udp";
                },
                "--slices",
                Integer.toString(slices),
                "--bframes",
                Integer.toString(bframes),
                "--pattern",
                pattern,
                "--lifeline"));
    if (user != null) {
      c.addAll(
          List.of(
              "--user",
              user,
              "--password",
              password,
              "--auth",
              auth.name().toLowerCase(Locale.ROOT)));
    }
    if (rtpTimestampOffset >= 0) {
      c.addAll(List.of("--rtp-timestamp-offset", Long.toString(rtpTimestampOffset)));
    }
    if (clockCode) {
      c.add("--clock-code");
    }
    if (tlsCert != null) {
      c.addAll(List.of("--tls-cert", tlsCert.toString(), "--tls-key", tlsKey.toString()));
    }
    return c;
  }

  private void forget() {
    process = null;
    synchronized (RUNNING) {
      RUNNING.remove(this);
    }
  }

  private static void destroy(Process p, boolean forcibly) {
    if (forcibly) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void readStdout(InputStream in, CompletableFuture<String> ready) {
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

  private void readStderr(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (stderr) {
          if (stderr.size() == STDERR_LINES) {
            stderr.removeFirst();
          }
          stderr.addLast(line);
        }
      }
    } catch (IOException ignored) {
      // the process went away
    }
  }

  private void joinStderr() {
    try {
      if (stderrReader != null) {
        stderrReader.join(2000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The camera script (copied to a temporary directory with the files it reads). */
  static Path script() {
    return CameraScripts.path(CameraScripts.CAMERA);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Settings of a {@link TestCamera}; defaults: H.264 640x360 at 25 fps, GOP 25, 800 kbit/s, no
   * audio, no auth.
   */
  public static final class Builder {
    private Codec codec = Codec.H264;
    private int width = 640;
    private int height = 360;
    private int fps = 25;
    private int gop = 25;
    private int bitrateKbps = 800;
    private Audio audio = Audio.NONE;
    private String user;
    private String password;
    private int port;
    private String path = "/main";
    private Transport transport = Transport.TCP_AND_UDP;
    private ParameterSets parameterSets = ParameterSets.IN_BAND;
    private int slices = 1;
    private int bframes;
    private long rtpTimestampOffset = -1;
    private Auth auth = Auth.DIGEST;
    private String pattern = "ball";
    private boolean clockCode;
    private Path tlsCert;
    private Path tlsKey;

    private Builder() {}

    /**
     * Serves RTSPS (RTSP over TLS on the camera's port) with this PEM certificate (chain) and its
     * PEM private key. Needs Debian's glib-networking (GLib's TLS backend).
     */
    public Builder tls(Path certificate, Path privateKey) {
      this.tlsCert = Objects.requireNonNull(certificate);
      this.tlsKey = Objects.requireNonNull(privateKey);
      return this;
    }

    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec);
      return this;
    }

    /** Picture size; both even (4:2:0). */
    public Builder size(int width, int height) {
      if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
        throw new IllegalArgumentException(
            "size must be positive and even: " + width + "x" + height);
      }
      this.width = width;
      this.height = height;
      return this;
    }

    public Builder fps(int fps) {
      this.fps = positive(fps, "fps");
      return this;
    }

    /** Key frame interval in frames. */
    public Builder gop(int gop) {
      this.gop = positive(gop, "gop");
      return this;
    }

    public Builder bitrateKbps(int bitrateKbps) {
      this.bitrateKbps = positive(bitrateKbps, "bitrate");
      return this;
    }

    public Builder audio(Audio audio) {
      this.audio = Objects.requireNonNull(audio);
      return this;
    }

    /** Requires RTSP Digest authentication with these credentials. */
    public Builder credentials(String user, String password) {
      this.user = Objects.requireNonNull(user);
      this.password = Objects.requireNonNull(password);
      return this;
    }

    /** A fixed port; by default a free one chosen when the camera is built. */
    public Builder port(int port) {
      this.port = positive(port, "port");
      return this;
    }

    public Builder path(String path) {
      this.path = path.startsWith("/") ? path : "/" + path;
      return this;
    }

    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport);
      return this;
    }

    public Builder parameterSets(ParameterSets parameterSets) {
      this.parameterSets = Objects.requireNonNull(parameterSets);
      return this;
    }

    /** H.264 slices per picture (default 1). */
    public Builder slices(int slices) {
      this.slices = positive(slices, "slices");
      return this;
    }

    /**
     * B-frames between reference frames (default 0, as most IP cameras). H.264: main profile, no
     * pyramid; H.265: x265 without tune=zerolatency (which turns B-frames off).
     */
    public Builder bframes(int bframes) {
      if (bframes < 0 || bframes > 4) {
        throw new IllegalArgumentException("bframes must be 0..4, was " + bframes);
      }
      this.bframes = bframes;
      return this;
    }

    /** Digest (default) or Basic authentication, when credentials are set. */
    public Builder auth(Auth auth) {
      this.auth = Objects.requireNonNull(auth);
      return this;
    }

    /**
     * First RTP timestamp of the video, 0..2^32-1 (default: the payloader's random one). A value
     * just below 2^32 makes the camera's 32-bit RTP clock wrap shortly after the stream starts.
     */
    public Builder rtpTimestampOffset(long offset) {
      if (offset < 0 || offset > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            "rtpTimestampOffset must be in 0..2^32-1, was " + offset);
      }
      this.rtpTimestampOffset = offset;
      return this;
    }

    /** GStreamer videotestsrc pattern (default {@code ball}: motion, so every frame differs). */
    public Builder pattern(String pattern) {
      this.pattern = Objects.requireNonNull(pattern);
      return this;
    }

    /**
     * Draws the wall clock (ms since the epoch) into every frame before the encoder, as a block
     * code in the top left corner that e2e's {@code clock-code.mjs} reads back: for glass-latency
     * measurements. Needs Debian's python3-gi-cairo.
     */
    public Builder clockCode(boolean clockCode) {
      this.clockCode = clockCode;
      return this;
    }

    /** The camera, not started (its port is chosen now). */
    public TestCamera build() {
      return new TestCamera(this);
    }

    /** {@code build().start()}. */
    public TestCamera start() {
      return build().start();
    }

    private static int positive(int value, String what) {
      if (value <= 0) {
        throw new IllegalArgumentException(what + " must be positive: " + value);
      }
      return value;
    }
  }
}
