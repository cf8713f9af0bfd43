package io.camflow.media.rtp;

import io.camflow.media.TimestampUnwrapper;
import java.util.List;

/**
 * Audio that travels as it is, the inverse of {@link AudioPacketizer}: G.711 PCMU/PCMA (RFC 3551)
 * and Opus (RFC 7587), each payload one frame. Frames are never damaged: a lost packet takes its
 * own samples and nothing else. Duplicate and late packets are dropped.
 */
public final class AudioDepacketizer implements Depacketizer {

  private final int clockRate;
  private final SequenceNumbers sequenceNumbers = new SequenceNumbers();
  private final TimestampUnwrapper timestamps = new TimestampUnwrapper(32);

  private AudioDepacketizer(int clockRate) {
    this.clockRate = clockRate;
  }

  /** PCMU or PCMA, 8 kHz. */
  public static AudioDepacketizer g711() {
    return new AudioDepacketizer(8_000);
  }

  /** Opus, whose RTP clock is 48 kHz whatever it codes. */
  public static AudioDepacketizer opus() {
    return new AudioDepacketizer(48_000);
  }

  public int clockRate() {
    return clockRate;
  }

  @Override
  public List<ReceivedFrame> push(RtpPacket packet) {
    RtpHeader header = packet.header();
    if (sequenceNumbers.missingBefore(header.sequenceNumber()) < 0) {
      return List.of();
    }
    if (packet.payload().length == 0) {
      throw new MalformedRtpException("empty audio RTP payload");
    }
    sequenceNumbers.accept(header.sequenceNumber());
    return List.of(
        new ReceivedFrame(timestamps.unwrap(header.timestamp()), packet.payload(), false));
  }

  @Override
  public List<ReceivedFrame> flush() {
    return List.of();
  }
}
