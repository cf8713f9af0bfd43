package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camflow.media.rtp.RtpPayload;
import org.junit.jupiter.api.Test;

class SentPacketsTest {

  @Test
  void findsWhatIsKeptAndForgetsWhatWasOverwritten() {
    SentPackets sent = new SentPackets(4);
    RtpPayload[] p = new RtpPayload[6];
    for (int i = 0; i < 6; i++) {
      p[i] = new RtpPayload(new byte[] {(byte) i}, false);
      sent.sent(
          p[i], (65534 + i) & 0xFFFF, 1000 + i); // sequence numbers wrap: 65534, 65535, 0, 1, 2, 3
    }
    assertNull(sent.find(65534), "overwritten by 2");
    assertNull(sent.find(65535), "overwritten by 3");
    SentPackets.Sent zero = sent.find(0);
    assertSame(p[2], zero.payload());
    assertEquals(1002, zero.timestamp());
    assertSame(p[5], sent.find(3).payload());
    assertNull(sent.find(4), "never sent");
  }

  @Test
  void capacityMustBeAPowerOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new SentPackets(1000));
  }
}
