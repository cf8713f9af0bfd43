package io.camflow.delivery.api.cameras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.registry.RegistryTopic;
import io.camflow.registry.TopicFollower;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@code camflow.status} record of every stream (key {@code camera/stream}, written by
 * ingest, docs/record-format.md), kept in memory by one follower of the compacted topic so the API
 * answers state, last error, codec and rates without asking ingest.
 */
public final class StreamStatuses implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, JsonNode> latest = new ConcurrentHashMap<>();
  private final TopicFollower follower;

  public StreamStatuses(String bootstrapServers, String clientId) {
    this.follower =
        new TopicFollower(bootstrapServers, RegistryTopic.STATUS, clientId, this::record);
  }

  public void start() {
    follower.start();
  }

  /** The latest status of {@code camera/stream}, if ingest has published one. */
  public Optional<JsonNode> of(String streamKey) {
    return Optional.ofNullable(latest.get(streamKey));
  }

  private void record(String key, byte[] value) {
    if (key == null) {
      return;
    }
    if (value == null) {
      latest.remove(key);
      return;
    }
    try {
      JsonNode n = MAPPER.readTree(value);
      if (n != null && n.isObject()) {
        latest.put(key, n);
      }
    } catch (IOException e) {
      // not a status record: nothing to show for it
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
