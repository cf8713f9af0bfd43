package io.camflow.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AccessUnitTest {

  @Test
  void validatesInCompactConstructor() {
    byte[] data = {1};
    assertThrows(
        IllegalArgumentException.class,
        () -> new AccessUnit(0, Codec.H264, 0, 0, 0, true, data, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AccessUnit(-1, Codec.H264, 0, 0, 90_000, true, data, null));
    assertThrows(
        NullPointerException.class,
        () -> new AccessUnit(0, Codec.H264, 0, 0, 90_000, true, null, null));
    assertThrows(
        NullPointerException.class, () -> new AccessUnit(0, null, 0, 0, 90_000, true, data, null));
  }

  @Test
  void equalityComparesArrayContents() {
    AccessUnit a =
        new AccessUnit(
            0, Codec.AAC, 1, 1, 48_000, true, new byte[] {1, 2}, new byte[] {0x11, (byte) 0x90});
    AccessUnit b =
        new AccessUnit(
            0, Codec.AAC, 1, 1, 48_000, true, new byte[] {1, 2}, new byte[] {0x11, (byte) 0x90});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(
        a,
        new AccessUnit(
            0, Codec.AAC, 1, 1, 48_000, true, new byte[] {1, 3}, new byte[] {0x11, (byte) 0x90}));
    assertNotEquals(a, new AccessUnit(0, Codec.AAC, 1, 1, 48_000, true, new byte[] {1, 2}, null));
  }

  @Test
  void toStringShowsSizesNotBytes() {
    AccessUnit au = new AccessUnit(1, Codec.H264, 3600, 0, 90_000, false, new byte[1234], null);
    assertEquals(
        "AccessUnit[track=1, codec=h264, pts=3600, dts=0, timebase=90000, keyframe=false, "
            + "data=1234 bytes, codecConfig=none]",
        au.toString());
  }
}
