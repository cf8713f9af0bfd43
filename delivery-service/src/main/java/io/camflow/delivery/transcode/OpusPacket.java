package io.camflow.delivery.transcode;

/**
 * One Opus packet (20 ms) made from a stream's AAC.
 *
 * @param data the Opus packet, one frame (RFC 7587: one packet per RTP payload)
 * @param pts its first sample at 48 kHz, on the AAC's time line (AAC pts scaled to 48 kHz)
 * @param captureMicros wall clock of its first sample, from the capture time of the AAC it came
 *     from
 * @param receivedMicros when ingest had that AAC frame (see {@code RtcStream.Frame})
 */
public record OpusPacket(byte[] data, long pts, long captureMicros, long receivedMicros) {

  /** The RTP clock rate of Opus (RFC 7587), and the rate camflow encodes at. */
  public static final int CLOCK_RATE = 48_000;
}
