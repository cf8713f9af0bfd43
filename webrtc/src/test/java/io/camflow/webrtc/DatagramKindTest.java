package io.camflow.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatagramKindTest {

  @Test
  void rfc7983Demultiplexing() {
    assertEquals(DatagramKind.STUN, DatagramKind.of((byte) 0));
    assertEquals(DatagramKind.STUN, DatagramKind.of((byte) 3));
    assertEquals(DatagramKind.OTHER, DatagramKind.of((byte) 4));
    assertEquals(DatagramKind.OTHER, DatagramKind.of((byte) 19));
    assertEquals(DatagramKind.DTLS, DatagramKind.of((byte) 20));
    assertEquals(DatagramKind.DTLS, DatagramKind.of((byte) 63));
    assertEquals(DatagramKind.OTHER, DatagramKind.of((byte) 64));
    assertEquals(DatagramKind.OTHER, DatagramKind.of((byte) 127));
    assertEquals(DatagramKind.RTP_OR_RTCP, DatagramKind.of((byte) 128));
    assertEquals(DatagramKind.RTP_OR_RTCP, DatagramKind.of((byte) 191));
    assertEquals(DatagramKind.OTHER, DatagramKind.of((byte) 192));
    assertTrue(DatagramKind.isRtcp((byte) 200));
    assertTrue(DatagramKind.isRtcp((byte) 206));
    assertFalse(DatagramKind.isRtcp((byte) 96));
    assertFalse(DatagramKind.isRtcp((byte) (96 | 0x80)), "RTP with the marker bit");
  }
}
