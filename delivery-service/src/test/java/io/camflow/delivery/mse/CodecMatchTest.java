package io.camflow.delivery.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CodecMatchTest {

  @Test
  void exactStringPlays() {
    assertTrue(CodecMatch.playable("avc1.64001f", List.of("avc1.64001f")));
  }

  @Test
  void sameFamilyPlays() {
    assertTrue(CodecMatch.playable("avc1.4d0029", List.of("avc1.42e01e")));
    assertTrue(CodecMatch.playable("AVC1.4D0029", List.of("avc1")));
  }

  @Test
  void everyStreamCodecMustPlay() {
    assertTrue(CodecMatch.playable("avc1.64001f,mp4a.40.2", List.of("avc1.64001f", "mp4a.40.2")));
    assertFalse(CodecMatch.playable("avc1.64001f,mp4a.40.2", List.of("avc1.64001f")));
    assertTrue(CodecMatch.playable("avc1.64001f, mp4a.40.2", List.of(" mp4a.40.5", "avc1.42e01e")));
  }

  @Test
  void otherFamilyDoesNotPlay() {
    assertFalse(CodecMatch.playable("hvc1.1.6.L93.B0", List.of("avc1.64001f", "mp4a.40.2")));
    assertFalse(CodecMatch.playable("hev1.1.6.L93.B0", List.of("hvc1.1.6.L93.B0")));
  }

  @Test
  void nothingPlaysWithoutCodecs() {
    assertFalse(CodecMatch.playable("avc1.64001f", List.of()));
    assertFalse(CodecMatch.playable("", List.of("avc1")));
    assertFalse(CodecMatch.playable(null, List.of("avc1")));
  }

  @Test
  void familyIsTheSampleEntryType() {
    assertEquals("hvc1", CodecMatch.family("hvc1.1.6.L93.B0"));
    assertEquals("opus", CodecMatch.family("Opus"));
  }
}
