package io.camflow.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The camera scripts and the files they read, copied once per JVM from the classpath into one
 * temporary directory: a script imports its helpers ({@code rtsp_server.py}, {@code tool_table.py},
 * {@code lifeline.py}) and reads {@code test-tools.tsv} from its own directory.
 */
final class CameraScripts {

  static final String CAMERA = "rtsp-camera.py";
  static final String REPLAY = "rtsp-replay.py";
  static final String RELAY = "rtsp-relay.py";
  private static final List<String> FILES =
      List.of(
          CAMERA,
          REPLAY,
          RELAY,
          "rtsp_server.py",
          "tool_table.py",
          "lifeline.py",
          ToolTable.RESOURCE);

  private static Path directory;

  private CameraScripts() {}

  /** The copy of {@code script} ({@link #CAMERA}, {@link #REPLAY} or {@link #RELAY}). */
  static synchronized Path path(String script) {
    if (!FILES.contains(script)) {
      throw new IllegalArgumentException("not a camera script: " + script);
    }
    if (directory == null) {
      directory = copyAll();
    }
    return directory.resolve(script);
  }

  private static Path copyAll() {
    try {
      Path dir = Files.createTempDirectory("camflow-cameras-");
      dir.toFile().deleteOnExit(); // registered first, so deleted last, once empty
      for (String name : FILES) {
        try (InputStream in = CameraScripts.class.getResourceAsStream(name)) {
          if (in == null) {
            throw new IllegalStateException("resource io/camflow/testsupport/" + name + " missing");
          }
          Path file = dir.resolve(name);
          Files.write(file, in.readAllBytes());
          file.toFile().deleteOnExit();
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the camera scripts", e);
    }
  }
}
