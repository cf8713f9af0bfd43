package io.camflow.registry;

import io.camflow.media.StreamKey;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One camera of the registry topic {@code camflow.cameras} (key = the id, docs/record-format.md).
 *
 * @param source who manages it: {@link #FILE} (config/camflow.yaml, published by ingest; the API
 *     may not change it) or {@link #API}
 * @param dvrRetention a duration as in camflow.yaml, or null for the default (24h)
 * @param dvrMaxSize a data size as in camflow.yaml ({@code 50GB}), or null: no size bound
 */
public record CameraEntry(
    String id, String source, List<StreamEntry> streams, String dvrRetention, String dvrMaxSize) {

  public static final String FILE = "file";
  public static final String API = "api";

  public CameraEntry {
    if (!StreamKey.isValidPart(id)) {
      throw new IllegalArgumentException("camera id must match [a-z0-9][a-z0-9_-]{0,63}");
    }
    if (!FILE.equals(source) && !API.equals(source)) {
      throw new IllegalArgumentException("camera " + id + ": source must be file or api");
    }
    streams = List.copyOf(streams);
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("camera " + id + " has no streams");
    }
    Set<String> names = new HashSet<>();
    for (StreamEntry s : streams) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("camera " + id + " has two streams named " + s.name());
      }
    }
  }

  /** A camera without a size bound. */
  public CameraEntry(String id, String source, List<StreamEntry> streams, String dvrRetention) {
    this(id, source, streams, dvrRetention, null);
  }

  public boolean fromFile() {
    return FILE.equals(source);
  }

  public Optional<StreamEntry> stream(String name) {
    return streams.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
