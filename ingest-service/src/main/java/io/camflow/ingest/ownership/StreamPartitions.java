package io.camflow.ingest.ownership;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of the ownership topic a stream belongs to: murmur2 of the UTF-8 key {@code
 * camera/stream}, as Kafka's default partitioner places a keyed record, so an operator can tell the
 * owner of a stream with any Kafka tool. Every instance must use the same partition count (the
 * topic's), or two of them could own one stream.
 */
public record StreamPartitions(int count) {

  public StreamPartitions {
    if (count < 1) {
      throw new IllegalArgumentException("partition count must be at least 1, is " + count);
    }
  }

  public int of(String streamKey) {
    return Utils.toPositive(Utils.murmur2(streamKey.getBytes(StandardCharsets.UTF_8))) % count;
  }
}
