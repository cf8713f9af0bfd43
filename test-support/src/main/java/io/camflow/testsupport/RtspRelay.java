package io.camflow.testsupport;

import io.camflow.localprocess.Lifeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GStreamer's RTSP server relaying an RTSP stream (rtsp-relay.py): the side-by-side figure of the
 * RTSP fan-out benchmark (docs/BENCHMARKS.md). One shared media reads the source over TCP; readers
 * get {@link #url()}.
 */
public final class RtspRelay implements AutoCloseable {

  private final Process process;
  private final String url;

  private RtspRelay(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts the relay of {@code source} on a free port of loopback; waits until it serves. */
  public static RtspRelay start(String source) throws IOException, InterruptedException {
    List<String> command =
        List.of(
            TestCamera.PYTHON.toString(),
            CameraScripts.path(CameraScripts.RELAY).toString(),
            "--source",
            source,
            "--lifeline");
    Process p =
        Lifeline.attach(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT))
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("READY ")) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "rtsp-relay.py did not serve (exit "
              + (p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : -1)
              + ")");
    }
    return new RtspRelay(p, line.substring("READY ".length()).trim());
  }

  public String url() {
    return url;
  }

  /** The relay's process (its CPU time and memory). */
  public ProcessHandle process() {
    return process.toHandle();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
