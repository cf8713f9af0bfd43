package io.camflow.media.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.StreamKey;
import io.camflow.media.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexEntryTest {

  private static final CmafRecord.SegmentEnd END =
      new CmafRecord.SegmentEnd("s1", 60, 10, 7, 2_000_000, 6, true);

  @Test
  void anEntryWithoutInitSurvivesItsHeaders() {
    IndexEntry e = IndexEntry.of(END, 1_796_000_000_000L, null);
    IndexEntry back = IndexEntry.decode(e.headers(), e.payload(), 1_796_000_000_000L);
    assertEquals(e, back);
    assertEquals(0, e.payload().length);
    assertEquals(1_796_000_002_000L, back.endMillis());
    assertNull(back.initSegment());
  }

  @Test
  void aCheckpointCarriesTheInitInForce() {
    byte[] moov = {0, 0, 0, 8, 'm', 'o', 'o', 'v'};
    CmafRecord.Init init =
        new CmafRecord.Init("s1", 10, 10, "avc1.42c01e", 1280, 720, moov, 333_340, 2_000_000);
    IndexEntry e = IndexEntry.of(END, 5, init);
    IndexEntry back = IndexEntry.decode(e.headers(), e.payload(), 5);
    assertArrayEquals(moov, back.initSegment().data());
    assertEquals("avc1.42c01e", back.initSegment().codecs());
    assertEquals(1280, back.initSegment().width());
    assertEquals(333_340, back.initSegment().partTargetMicros());
    assertEquals(10, back.initSegment().init());
    assertEquals(7, back.msn());
    assertTrue(back.discontinuity());
  }

  @Test
  void anInitNotInForceIsRefused() {
    CmafRecord.Init other = new CmafRecord.Init("s1", 99, 99, "avc1.42c01e", 1, 1, new byte[] {1});
    assertThrows(IllegalArgumentException.class, () -> IndexEntry.of(END, 5, other));
  }

  @Test
  void aCmafRecordIsNotAnIndexEntry() {
    Map<String, byte[]> h = new HashMap<>(END.headers());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IndexEntry.decode(h, new byte[0], 1));
    assertTrue(e.getMessage().contains("not an index entry"), e.getMessage());
    h.remove(CmafRecord.MSN);
    h.put(CmafRecord.KIND, "index".getBytes(StandardCharsets.UTF_8));
    assertThrows(IllegalArgumentException.class, () -> IndexEntry.decode(h, new byte[0], 1));
  }

  @Test
  void theIndexTopicSitsBesideTheMediaAndCmafTopics() {
    StreamKey key = new StreamKey("frontdoor", "main");
    assertEquals("camflow.index.frontdoor.main", key.indexTopic());
    assertEquals(key.indexTopic(), Topics.indexOf(key.mediaTopic()));
    assertThrows(IllegalArgumentException.class, () -> Topics.indexOf(key.cmafTopic()));
  }
}
