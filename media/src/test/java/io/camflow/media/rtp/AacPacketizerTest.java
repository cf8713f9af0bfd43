package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class AacPacketizerTest {

  static AccessUnit aac(int size, long pts) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i * 7);
    }
    return new AccessUnit(
        1, Codec.AAC, pts, pts, 48_000, true, data, new byte[] {0x11, (byte) 0x90});
  }

  @Test
  void oneFramePerPacketBehindItsAuHeader() {
    RtpFrame f = new AacPacketizer(1200).packetize(aac(371, 1024), 48_000);
    assertEquals(1024, f.timestamp());
    assertEquals(1, f.payloads().size());
    byte[] p = f.payloads().get(0).data();
    assertEquals(0, p[0]);
    assertEquals(16, p[1], "AU-headers-length: 16 bits");
    assertEquals(371, ((p[2] & 0xFF) << 5) | ((p[3] & 0xFF) >>> 3), "13-bit AU-size");
    assertEquals(0, p[3] & 0x07, "AU-index 0");
    assertEquals(4 + 371, p.length);
    assertTrue(f.payloads().get(0).marker());
  }

  @Test
  void aLongFrameIsFragmentedWithTheWholeSizeInEveryHeaderAndTheMarkerOnTheLast() {
    AccessUnit au = aac(2500, 0);
    RtpFrame f = new AacPacketizer(1000).packetize(au, 48_000);
    assertEquals(3, f.payloads().size());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      byte[] p = f.payloads().get(i).data();
      assertEquals(2500, ((p[2] & 0xFF) << 5) | ((p[3] & 0xFF) >>> 3));
      joined.write(p, 4, p.length - 4);
      assertEquals(i == 2, f.payloads().get(i).marker());
    }
    assertArrayEquals(au.data(), joined.toByteArray());
    assertFalse(f.payloads().get(0).marker());
  }

  @Test
  void theTimestampCountsSamples() {
    AccessUnit au = new AccessUnit(1, Codec.AAC, 90_000, 90_000, 90_000, true, new byte[10], null);
    assertEquals(44_100, new AacPacketizer(1200).packetize(au, 44_100).timestamp());
  }

  @Test
  void onlyAacAndOnlyWhatA13BitSizeHolds() {
    AacPacketizer p = new AacPacketizer(1200);
    assertThrows(IllegalArgumentException.class, () -> p.packetize(aac(8192, 0), 48_000));
    AccessUnit g711 = new AccessUnit(1, Codec.PCMU, 0, 0, 8000, true, new byte[160], null);
    assertThrows(IllegalArgumentException.class, () -> p.packetize(g711, 8000));
  }
}
