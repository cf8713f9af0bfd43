package io.camflow.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodecTest {

  @Test
  void idsRoundTrip() {
    for (Codec codec : Codec.values()) {
      assertEquals(codec, Codec.fromId(codec.id()));
    }
    assertEquals("h264", Codec.H264.id());
    assertEquals("h265", Codec.H265.id());
    assertEquals("aac", Codec.AAC.id());
    assertEquals("pcmu", Codec.PCMU.id());
    assertEquals("pcma", Codec.PCMA.id());
    assertEquals(Codec.H265, Codec.fromId("H265"));
  }

  @Test
  void unknownIdsAreRejectedWithTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Codec.fromId("vp8"));
    assertEquals(
        "unknown codec id 'vp8'; expected one of h264, h265, aac, pcmu, pcma", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Codec.fromId(null));
    assertThrows(IllegalArgumentException.class, () -> Codec.fromId(""));
  }

  @Test
  void videoOrAudio() {
    assertTrue(Codec.H264.isVideo());
    assertTrue(Codec.H265.isVideo());
    assertFalse(Codec.AAC.isVideo());
    assertFalse(Codec.PCMU.isVideo());
    assertFalse(Codec.PCMA.isVideo());
  }
}
