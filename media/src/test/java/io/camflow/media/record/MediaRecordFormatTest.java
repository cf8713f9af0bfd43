package io.camflow.media.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaRecordFormatTest {

  private static final byte[] CONFIG = {0, 0, 0, 1, 0x67, 0x42, 0, 0, 0, 1, 0x68};
  private static final AccessUnit KEYFRAME =
      new AccessUnit(
          0,
          Codec.H264,
          1_234_567_890_123L,
          1_234_567_886_523L,
          90_000,
          true,
          new byte[] {0, 0, 0, 1, 0x65},
          CONFIG);

  @Test
  void headersAreTextExceptConfigInAStableOrder() {
    Map<String, byte[]> headers = MediaRecordFormat.headers(KEYFRAME, "3f2a");
    assertEquals(
        List.of(
            "camflow.track",
            "camflow.codec",
            "camflow.pts",
            "camflow.dts",
            "camflow.timebase",
            "camflow.keyframe",
            "camflow.session",
            "camflow.config"),
        List.copyOf(headers.keySet()));
    assertEquals("0", text(headers, MediaRecordFormat.TRACK));
    assertEquals("h264", text(headers, MediaRecordFormat.CODEC));
    assertEquals("1234567890123", text(headers, MediaRecordFormat.PTS));
    assertEquals("1234567886523", text(headers, MediaRecordFormat.DTS));
    assertEquals("90000", text(headers, MediaRecordFormat.TIMEBASE));
    assertEquals("true", text(headers, MediaRecordFormat.KEYFRAME));
    assertEquals("3f2a", text(headers, MediaRecordFormat.SESSION));
    assertArrayEquals(CONFIG, headers.get(MediaRecordFormat.CONFIG));
  }

  @Test
  void receiptTimeIsAnOptionalHeaderForMeasuringOnly() {
    Map<String, byte[]> stamped = MediaRecordFormat.headers(KEYFRAME, "s", 1_795_282_260_898_123L);
    assertEquals("1795282260898123", text(stamped, MediaRecordFormat.RECEIVED_US));
    assertEquals(1_795_282_260_898_123L, MediaRecordFormat.receivedMicros(stamped));
    assertEquals(KEYFRAME, MediaRecordFormat.decode(stamped, KEYFRAME.data()));

    Map<String, byte[]> plain = MediaRecordFormat.headers(KEYFRAME, "s");
    assertFalse(plain.containsKey(MediaRecordFormat.RECEIVED_US));
    assertEquals(MediaRecordFormat.RECEIVED_UNKNOWN, MediaRecordFormat.receivedMicros(plain));

    Map<String, byte[]> bad = new LinkedHashMap<>(plain);
    bad.put(MediaRecordFormat.RECEIVED_US, "soon".getBytes(StandardCharsets.UTF_8));
    assertEquals(MediaRecordFormat.RECEIVED_UNKNOWN, MediaRecordFormat.receivedMicros(bad));
    assertEquals(KEYFRAME, MediaRecordFormat.decode(bad, KEYFRAME.data()));
  }

  @Test
  void roundTrips() {
    Map<String, byte[]> headers = MediaRecordFormat.headers(KEYFRAME, "session-1");
    assertEquals(KEYFRAME, MediaRecordFormat.decode(headers, KEYFRAME.data()));
    assertEquals("session-1", MediaRecordFormat.session(headers));

    AccessUnit audio = new AccessUnit(1, Codec.PCMA, -160, -160, 8000, true, new byte[160], null);
    Map<String, byte[]> audioHeaders = MediaRecordFormat.headers(audio, "s");
    assertFalse(audioHeaders.containsKey(MediaRecordFormat.CONFIG), "no config, no header");
    assertEquals(audio, MediaRecordFormat.decode(audioHeaders, audio.data()));
  }

  @Test
  void missingHeadersAreNamed() {
    for (String name :
        List.of(
            MediaRecordFormat.TRACK,
            MediaRecordFormat.CODEC,
            MediaRecordFormat.PTS,
            MediaRecordFormat.DTS,
            MediaRecordFormat.TIMEBASE,
            MediaRecordFormat.KEYFRAME)) {
      Map<String, byte[]> headers = new LinkedHashMap<>(MediaRecordFormat.headers(KEYFRAME, "s"));
      headers.remove(name);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> MediaRecordFormat.decode(headers, KEYFRAME.data()));
      assertEquals("media record lacks header " + name, e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> MediaRecordFormat.session(Map.of()));
  }

  @Test
  void malformedHeadersAreNamed() {
    assertBad(MediaRecordFormat.PTS, "12a", "header camflow.pts is not an integer: '12a'");
    assertBad(MediaRecordFormat.TRACK, "", "header camflow.track is not an integer: ''");
    assertBad(MediaRecordFormat.TRACK, "-1", "header camflow.track must be >= 0, was -1");
    assertBad(MediaRecordFormat.TIMEBASE, "0", "header camflow.timebase must be > 0, was 0");
    assertBad(
        MediaRecordFormat.TIMEBASE,
        "99999999999",
        "header camflow.timebase is not an integer: '99999999999'");
    assertBad(
        MediaRecordFormat.KEYFRAME,
        "yes",
        "header camflow.keyframe must be true or false, was 'yes'");
    assertBad(
        MediaRecordFormat.CODEC,
        "mjpeg",
        "header camflow.codec: unknown codec id 'mjpeg'; expected one of h264, h265, aac, pcmu, pcma");
  }

  @Test
  void tombstoneIsNotAnAccessUnit() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MediaRecordFormat.decode(MediaRecordFormat.headers(KEYFRAME, "s"), null));
    assertEquals("media record has no value", e.getMessage());
  }

  private static void assertBad(String header, String value, String message) {
    Map<String, byte[]> headers = new LinkedHashMap<>(MediaRecordFormat.headers(KEYFRAME, "s"));
    headers.put(header, value.getBytes(StandardCharsets.UTF_8));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MediaRecordFormat.decode(headers, KEYFRAME.data()));
    assertEquals(message, e.getMessage());
  }

  private static String text(Map<String, byte[]> headers, String name) {
    return new String(headers.get(name), StandardCharsets.UTF_8);
  }
}
