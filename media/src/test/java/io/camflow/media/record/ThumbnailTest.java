package io.camflow.media.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThumbnailTest {

  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 1, 2};

  @Test
  void readsBackWhatItWrites() {
    Thumbnail t = new Thumbnail("s1", 4711, 240, 136, 1_700_000_000_123L, JPEG);
    Thumbnail back = Thumbnail.decode(t.headers(), t.jpeg(), 1_700_000_000_123L);
    assertEquals("s1", back.session());
    assertEquals(4711, back.sourceOffset());
    assertEquals(240, back.width());
    assertEquals(136, back.height());
    assertEquals(1_700_000_000_123L, back.captureMillis());
    assertArrayEquals(JPEG, back.jpeg());
  }

  @Test
  void refusesOtherRecordsAndBrokenValues() {
    Thumbnail t = new Thumbnail("s1", 1, 240, 136, 5, JPEG);
    Map<String, byte[]> index = new LinkedHashMap<>(t.headers());
    index.put(CmafRecord.KIND, "index".getBytes(StandardCharsets.UTF_8));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Thumbnail.decode(index, JPEG, 5))
            .getMessage()
            .contains("kind 'index'"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Thumbnail.decode(t.headers(), "GIF89a".getBytes(StandardCharsets.UTF_8), 5));
    Map<String, byte[]> noWidth = new LinkedHashMap<>(t.headers());
    noWidth.remove(CmafRecord.WIDTH);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Thumbnail.decode(noWidth, JPEG, 5))
            .getMessage()
            .contains(CmafRecord.WIDTH));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Thumbnail("s1", 1, 240, 136, 5, new byte[Thumbnail.MAX_BYTES + 1]));
  }
}
