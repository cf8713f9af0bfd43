package io.camflow.media.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CmafRecordTest {

  @Test
  void everyKindSurvivesItsHeaders() {
    byte[] bytes = {1, 2, 3};
    List<CmafRecord> records =
        List.of(
            new CmafRecord.Init("s1", 10, 10, "avc1.42c01e,mp4a.40.2", 1280, 720, bytes),
            new CmafRecord.Init("s1", 10, 10, "avc1.42c01e", 1280, 720, bytes, 333_340, 2_000_000),
            new CmafRecord.Chunk("s1", 11, 10, 1, 3600, 90_000, false, 7, 2, bytes),
            new CmafRecord.Chunk(
                "s1", 12, 10, 1, 7200, 90_000, false, 7, 2, bytes, 1_795_282_260_898_123L),
            new CmafRecord.PartEnd("s1", 19, 10, 7, 2, 333_333, true),
            new CmafRecord.SegmentEnd("s1", 60, 10, 7, 2_000_000, 6, false));
    for (CmafRecord r : records) {
      CmafRecord back = CmafRecord.decode(r.headers(), r.payload());
      assertEquals(r.getClass(), back.getClass());
      assertEquals(r.headers().keySet(), back.headers().keySet());
      r.headers().forEach((k, v) -> assertArrayEquals(v, back.headers().get(k), k));
      assertArrayEquals(r.payload(), back.payload());
    }
  }

  @Test
  void chunksCarryIngestsReceiptTimeWhenKnown() {
    byte[] bytes = {1};
    CmafRecord.Chunk stamped =
        new CmafRecord.Chunk("s", 1, 1, 1, 0, 90_000, true, 0, 0, bytes, 42_000_001L);
    assertEquals(
        "42000001",
        new String(stamped.headers().get(CmafRecord.RECEIVED_US), StandardCharsets.UTF_8));
    assertEquals(
        42_000_001L,
        ((CmafRecord.Chunk) CmafRecord.decode(stamped.headers(), bytes)).receivedMicros());

    CmafRecord.Chunk plain = new CmafRecord.Chunk("s", 1, 1, 1, 0, 90_000, true, 0, 0, bytes);
    assertFalse(plain.headers().containsKey(CmafRecord.RECEIVED_US));
    assertEquals(
        MediaRecordFormat.RECEIVED_UNKNOWN,
        ((CmafRecord.Chunk) CmafRecord.decode(plain.headers(), bytes)).receivedMicros());
  }

  /**
   * The packager's targets travel to delivery on every init; an init written before them says none.
   */
  @Test
  void initsCarryThePackagersTargets() {
    byte[] bytes = {1};
    CmafRecord.Init said =
        new CmafRecord.Init("s", 1, 1, "avc1.42c01e", 640, 360, bytes, 500_000, 4_000_000);
    assertEquals(
        "500000",
        new String(said.headers().get(CmafRecord.PART_TARGET_US), StandardCharsets.UTF_8));
    CmafRecord.Init back = (CmafRecord.Init) CmafRecord.decode(said.headers(), bytes);
    assertTrue(back.saysTargets());
    assertEquals(500_000, back.partTargetMicros());
    assertEquals(4_000_000, back.segmentTargetMicros());

    CmafRecord.Init older = new CmafRecord.Init("s", 1, 1, "avc1.42c01e", 640, 360, bytes);
    assertFalse(older.headers().containsKey(CmafRecord.PART_TARGET_US));
    assertFalse(((CmafRecord.Init) CmafRecord.decode(older.headers(), bytes)).saysTargets());
  }

  @Test
  void markersCarryNoPayload() {
    assertEquals(0, new CmafRecord.PartEnd("s", 1, 1, 0, 0, 1, true).payload().length);
    assertEquals(0, new CmafRecord.SegmentEnd("s", 1, 1, 0, 1, 1, true).payload().length);
  }

  @Test
  void badHeadersAreNamed() {
    Map<String, byte[]> h =
        new HashMap<>(new CmafRecord.PartEnd("s", 1, 1, 0, 0, 1, true).headers());
    h.remove(CmafRecord.MSN);
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> CmafRecord.decode(h, new byte[0]));
    assertTrue(missing.getMessage().contains(CmafRecord.MSN), missing.getMessage());

    h.put(CmafRecord.MSN, "seven".getBytes(StandardCharsets.UTF_8));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CmafRecord.decode(h, new byte[0]))
            .getMessage()
            .contains("seven"));

    h.put(CmafRecord.MSN, "7".getBytes(StandardCharsets.UTF_8));
    h.put(CmafRecord.KIND, "movie".getBytes(StandardCharsets.UTF_8));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CmafRecord.decode(h, new byte[0]))
            .getMessage()
            .contains("movie"));
  }
}
