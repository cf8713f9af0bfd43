package io.camflow.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code /usr/bin/ffprobe} as an independent judge of what a stream or file holds.
 *
 * <pre>{@code
 * List<Ffprobe.StreamInfo> streams = Ffprobe.probeRtsp(camera.url(), "tcp", "admin", "secret");
 * assertEquals("h264", streams.get(0).codecName());
 * }</pre>
 */
public final class Ffprobe {

  public static final Path FFPROBE = Path.of("/usr/bin/ffprobe");
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private static final ObjectMapper JSON = new ObjectMapper();

  private Ffprobe() {}

  /** One stream as ffprobe reports it; absent numbers are 0, absent strings empty. */
  public record StreamInfo(
      int index,
      String codecType,
      String codecName,
      String profile,
      int width,
      int height,
      String avgFrameRate,
      int sampleRate,
      int channels) {

    public boolean isVideo() {
      return "video".equals(codecType);
    }

    public boolean isAudio() {
      return "audio".equals(codecType);
    }

    /** {@code avg_frame_rate} as a number ({@code 25/1} → 25.0; 0 when unknown). */
    public double frameRate() {
      String[] parts = avgFrameRate.split("/");
      try {
        double num = Double.parseDouble(parts[0]);
        double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
        return den == 0 ? 0 : num / den;
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }

  /** ffprobe failed: its exit code and what it wrote to stderr. */
  public static final class FfprobeException extends RuntimeException {
    private final int exitCode;
    private final String stderr;

    FfprobeException(String message, int exitCode, String stderr) {
      super(message + (stderr.isBlank() ? "" : ":\n" + redact(stderr).strip()));
      this.exitCode = exitCode;
      this.stderr = redact(stderr);
    }

    public int exitCode() {
      return exitCode;
    }

    /** What ffprobe wrote to stderr, credentials in URLs hidden. */
    public String stderr() {
      return stderr;
    }
  }

  /**
   * Probes an RTSP URL over {@code transport} ({@code tcp} or {@code udp}), with credentials when
   * {@code user} is not null.
   */
  public static List<StreamInfo> probeRtsp(
      String url, String transport, String user, String password) {
    return probe(
        withCredentials(url, user, password),
        DEFAULT_TIMEOUT,
        "-rtsp_transport",
        transport,
        "-timeout",
        Long.toString(TimeUnit.SECONDS.toMicros(10)));
  }

  /** Probes any input ffprobe reads, with extra input options placed before it. */
  public static List<StreamInfo> probe(String input, Duration timeout, String... inputOptions) {
    List<String> command =
        new ArrayList<>(
            List.of(
                FFPROBE.toString(), "-hide_banner", "-v", "error", "-show_streams", "-of", "json"));
    command.addAll(List.of(inputOptions));
    command.add(input);
    String stdout = run(command, timeout);
    try {
      JsonNode root = JSON.readTree(stdout);
      List<StreamInfo> streams = new ArrayList<>();
      for (JsonNode s : root.path("streams")) {
        streams.add(
            new StreamInfo(
                s.path("index").asInt(),
                s.path("codec_type").asText(""),
                s.path("codec_name").asText(""),
                s.path("profile").asText(""),
                s.path("width").asInt(),
                s.path("height").asInt(),
                s.path("avg_frame_rate").asText("0/0"),
                s.path("sample_rate").asInt(),
                s.path("channels").asInt()));
      }
      return streams;
    } catch (IOException e) {
      throw new FfprobeException("ffprobe printed no JSON for " + redact(input), 0, stdout);
    }
  }

  /** The first video stream of a probe result. */
  public static Optional<StreamInfo> video(List<StreamInfo> streams) {
    return streams.stream().filter(StreamInfo::isVideo).findFirst();
  }

  /** The first audio stream of a probe result. */
  public static Optional<StreamInfo> audio(List<StreamInfo> streams) {
    return streams.stream().filter(StreamInfo::isAudio).findFirst();
  }

  /**
   * {@code rtsp://user:password@host:port/path} with both parts percent-encoded; the URL itself if
   * user is null.
   */
  public static String withCredentials(String url, String user, String password) {
    if (user == null) {
      return url;
    }
    URI uri = URI.create(url);
    String userInfo = encode(user) + (password == null ? "" : ":" + encode(password));
    String rest = uri.getRawAuthority();
    return uri.getScheme()
        + "://"
        + userInfo
        + "@"
        + rest
        + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Hides the credentials of URLs in a text (ffprobe repeats its input URL in its errors). */
  static String redact(String text) {
    return text.replaceAll("://[^/@\\s]*@", "://***@");
  }

  private static String run(List<String> command, Duration timeout) {
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run " + FFPROBE + " (install Debian's ffmpeg package)", e);
    }
    CompletableFuture<String> out = readAsync(process.getInputStream());
    CompletableFuture<String> err = readAsync(process.getErrorStream());
    String input = redact(command.get(command.size() - 1));
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        String stderr;
        try {
          stderr = err.get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException
            | java.util.concurrent.ExecutionException e) {
          stderr = "";
        }
        throw new FfprobeException(
            "ffprobe did not finish within " + timeout.toSeconds() + " s on " + input, -1, stderr);
      }
      int code = process.exitValue();
      String stderr = err.get(5, TimeUnit.SECONDS);
      if (code != 0) {
        throw new FfprobeException("ffprobe exited with " + code + " on " + input, code, stderr);
      }
      return out.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running ffprobe", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read ffprobe's output", e);
    }
  }

  /**
   * Drains a stream on its own thread (the common pool may have a single thread on small machines).
   */
  private static CompletableFuture<String> readAsync(InputStream in) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                result.complete("");
              }
            },
            "ffprobe-reader");
    reader.setDaemon(true);
    reader.start();
    return result;
  }
}
