package io.camflow.e2e.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far each stream had come at one instant: the end offsets of its media topic (ingest's access
 * units) and CMAF topic (packager's chunks, parts, segments), and the media offset the packagers
 * had committed. Two snapshots give the records each stream produced in between.
 */
record StreamProgress(Map<String, Long> media, Map<String, Long> cmaf, Map<String, Long> packaged) {

  static final String PACKAGER_GROUP = "camflow-packager";

  /** A stream as {@code <camera>.<stream>}, the suffix of its topics. */
  static StreamProgress of(Admin admin, List<String> streams) throws Exception {
    Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
    for (String s : streams) {
      ask.put(new TopicPartition("camflow.media." + s, 0), OffsetSpec.latest());
      ask.put(new TopicPartition("camflow.cmaf." + s, 0), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(PACKAGER_GROUP)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    Map<String, Long> media = new HashMap<>();
    Map<String, Long> cmaf = new HashMap<>();
    Map<String, Long> packaged = new HashMap<>();
    for (String s : streams) {
      TopicPartition m = new TopicPartition("camflow.media." + s, 0);
      media.put(s, ends.get(m).offset());
      cmaf.put(s, ends.get(new TopicPartition("camflow.cmaf." + s, 0)).offset());
      OffsetAndMetadata c = committed.get(m);
      packaged.put(s, c == null ? 0 : c.offset());
    }
    return new StreamProgress(media, cmaf, packaged);
  }

  long mediaSince(StreamProgress earlier, String stream) {
    return media.get(stream) - earlier.media.get(stream);
  }

  long cmafSince(StreamProgress earlier, String stream) {
    return cmaf.get(stream) - earlier.cmaf.get(stream);
  }

  /** Access units the packagers committed as packaged, over all streams, since {@code earlier}. */
  long packagedSince(StreamProgress earlier) {
    return packaged.keySet().stream()
        .mapToLong(s -> packaged.get(s) - earlier.packaged.get(s))
        .sum();
  }

  /** Access units ingest wrote that the packagers had not yet committed as packaged. */
  long packagerLag(String stream) {
    return media.get(stream) - packaged.get(stream);
  }
}
