package io.camflow.ingest.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class StreamPartitionsTest {

  @Test
  void placesAStreamWhereKafkasDefaultPartitionerPutsARecordWithItsKey() {
    for (int count : new int[] {1, 2, 12, 24, 100}) {
      StreamPartitions partitions = new StreamPartitions(count);
      for (int i = 0; i < 500; i++) {
        String key = "camera" + i + "/" + (i % 3 == 0 ? "main" : "sub");
        assertEquals(
            BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), count),
            partitions.of(key),
            key + " of " + count);
      }
    }
  }

  @Test
  void isStableAndUsesEveryPartition() {
    StreamPartitions partitions = new StreamPartitions(24);
    assertEquals(partitions.of("frontdoor/main"), new StreamPartitions(24).of("frontdoor/main"));
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      int p = partitions.of("cam" + i + "/main");
      assertTrue(p >= 0 && p < 24, "in range: " + p);
      used.add(p);
    }
    assertEquals(24, used.size());
  }

  @Test
  void needsAtLeastOnePartition() {
    assertThrows(IllegalArgumentException.class, () -> new StreamPartitions(0));
  }
}
