package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioPacketizerTest {

  @Test
  void g711FrameIsOnePacketAt8kHz() {
    byte[] samples = new byte[160];
    AccessUnit frame = new AccessUnit(1, Codec.PCMU, 40, 40, 1000, true, samples, null);
    RtpFrame rtp = AudioPacketizer.g711(1200).packetize(frame);
    assertEquals(320, rtp.timestamp());
    assertEquals(1, rtp.payloads().size());
    assertSame(samples, rtp.payloads().get(0).data(), "shared, not copied");
    assertEquals(false, rtp.payloads().get(0).marker());
  }

  @Test
  void largeG711FrameIsSplitAtSampleBoundariesWithTheirOwnTimestamps() {
    byte[] samples = new byte[2500];
    Arrays.fill(samples, 1000, 2000, (byte) 7);
    RtpFrame rtp =
        AudioPacketizer.g711(1000)
            .packetize(new AccessUnit(1, Codec.PCMA, 8000, 8000, 8000, true, samples, null));
    assertEquals(
        List.of(1000, 1000, 500), rtp.payloads().stream().map(p -> p.data().length).toList());
    assertEquals(
        List.of(0, 1000, 2000), rtp.payloads().stream().map(RtpPayload::timestampOffset).toList());
    assertArrayEquals(Arrays.copyOfRange(samples, 1000, 2000), rtp.payloads().get(1).data());
    RtpStamper stamper = new RtpStamper(8, 5, 0, 0);
    byte[] second = stamper.stamp(rtp.payloads().get(0), rtp.timestamp());
    second = stamper.stamp(rtp.payloads().get(1), rtp.timestamp());
    assertEquals(9000, RtpPacket.parse(second).header().timestamp());
  }

  @Test
  void opusPacketIsOnePacketAt48kHzAndNeverSplit() {
    RtpFrame rtp =
        AudioPacketizer.opus(1200)
            .packetize(new AccessUnit(1, Codec.AAC, 20, 20, 1000, true, new byte[80], null));
    assertEquals(960, rtp.timestamp());
    assertEquals(1, rtp.payloads().size());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AudioPacketizer.opus(100)
                .packetize(new AccessUnit(1, Codec.AAC, 0, 0, 48_000, true, new byte[101], null)));
  }

  @Test
  void opusMadeHereIsPacketizedFromItsBytesAndPts() {
    byte[] opus = new byte[90];
    RtpFrame rtp = AudioPacketizer.opus(1200).packetize(opus, 96_000 + 960, 48_000);
    assertEquals(96_960, rtp.timestamp());
    assertEquals(1, rtp.payloads().size());
    assertSame(opus, rtp.payloads().getFirst().data(), "no copy");
    assertEquals(false, rtp.payloads().getFirst().marker());
    assertEquals(0, AudioPacketizer.opus(1200).packetize(new byte[0], 0, 48_000).payloads().size());
  }
}
