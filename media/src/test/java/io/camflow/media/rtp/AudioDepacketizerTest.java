package io.camflow.media.rtp;

import static io.camflow.media.rtp.RtpPackets.depacketize;
import static io.camflow.media.rtp.RtpPackets.packet;
import static io.camflow.media.rtp.RtpPackets.stamp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioDepacketizerTest {

  @Test
  void g711PacketsComeBackOneFrameEachStampedWithTheirFirstSample() {
    byte[] samples = new byte[400];
    new Random(711).nextBytes(samples);
    RtpFrame frame = AudioPacketizer.g711(160).packetize(samples, 1_000, 8_000);
    List<ReceivedFrame> frames =
        depacketize(
            AudioDepacketizer.g711(),
            stamp(new RtpStamper(8, 3, 65_534, 0xFFFF_FC00L), frame.payloads(), 1_000));
    assertEquals(
        List.of(0xFFFF_FC00L + 1_000, 0xFFFF_FC00L + 1_160, 0xFFFF_FC00L + 1_320),
        frames.stream().map(ReceivedFrame::timestamp).toList());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    frames.forEach(f -> joined.writeBytes(f.data()));
    assertArrayEquals(samples, joined.toByteArray());
    assertEquals(
        List.of(false, false, false), frames.stream().map(ReceivedFrame::damaged).toList());
  }

  @Test
  void duplicateAndLatePacketsAreDroppedAndALossDamagesNothing() {
    AudioDepacketizer depacketizer = AudioDepacketizer.g711();
    assertEquals(1, depacketizer.push(packet(10, 0, false, new byte[] {1})).size());
    assertEquals(1, depacketizer.push(packet(12, 320, false, new byte[] {3})).size());
    assertEquals(List.of(), depacketizer.push(packet(11, 160, false, new byte[] {2})));
    assertEquals(List.of(), depacketizer.push(packet(12, 320, false, new byte[] {3})));
    ReceivedFrame next = depacketizer.push(packet(13, 480, false, new byte[] {4})).get(0);
    assertEquals(480, next.timestamp());
    assertEquals(false, next.damaged());
    assertEquals(List.of(), depacketizer.flush());
  }

  @Test
  void anEmptyPayloadIsRefused() {
    AudioDepacketizer depacketizer = AudioDepacketizer.g711();
    assertThrows(
        MalformedRtpException.class, () -> depacketizer.push(packet(0, 0, false, new byte[0])));
    assertEquals(1, depacketizer.push(packet(1, 160, false, new byte[] {1})).size());
  }

  @Test
  void clockRates() {
    assertEquals(8_000, AudioDepacketizer.g711().clockRate());
    assertEquals(48_000, AudioDepacketizer.opus().clockRate());
  }
}
