package io.camflow.media.rtp;

import io.camflow.media.AccessUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Audio frames that travel as they are: Opus (RFC 7587, one frame per packet, 48 kHz clock) and
 * G.711 PCMU/PCMA (RFC 3551, one byte per sample at 8 kHz). A G.711 frame larger than the payload
 * limit is split at sample boundaries, each part stamped with its own first sample; an Opus packet
 * is never larger than the limit in practice and cannot be split, so it is refused.
 */
public final class AudioPacketizer {

  private final int clockRate;
  private final boolean splittable;
  private final int maxPayload;

  private AudioPacketizer(int clockRate, boolean splittable, int maxPayload) {
    if (maxPayload < 1) {
      throw new IllegalArgumentException("max payload must be > 0, was " + maxPayload);
    }
    this.clockRate = clockRate;
    this.splittable = splittable;
    this.maxPayload = maxPayload;
  }

  public static AudioPacketizer opus(int maxPayload) {
    return new AudioPacketizer(48_000, false, maxPayload);
  }

  /** PCMU or PCMA. */
  public static AudioPacketizer g711(int maxPayload) {
    return new AudioPacketizer(8_000, true, maxPayload);
  }

  public int clockRate() {
    return clockRate;
  }

  /**
   * One frame as one packet (or, for G.711, several). The marker bit stays clear: it flags the
   * start of a talkspurt after silence suppression, which pass-through audio never has.
   */
  public RtpFrame packetize(AccessUnit frame) {
    Objects.requireNonNull(frame, "frame");
    return packetize(frame.data(), frame.pts(), frame.timebase());
  }

  /**
   * One frame that is no access unit of the stream (audio made here, e.g. Opus transcoded from
   * AAC).
   *
   * @param pts in {@code timebase} ticks per second
   */
  public RtpFrame packetize(byte[] data, long pts, int timebase) {
    Objects.requireNonNull(data, "data");
    if (data.length == 0) {
      return new RtpFrame(RtpClock.toClockRate(pts, timebase, clockRate), true, List.of());
    }
    if (data.length > maxPayload && !splittable) {
      throw new IllegalArgumentException(
          "audio frame of "
              + data.length
              + " bytes exceeds the "
              + maxPayload
              + "-byte payload limit and cannot be split");
    }
    List<RtpPayload> payloads = new ArrayList<>();
    for (int pos = 0; pos < data.length; pos += maxPayload) {
      byte[] part =
          pos == 0 && data.length <= maxPayload
              ? data
              : Arrays.copyOfRange(data, pos, Math.min(data.length, pos + maxPayload));
      payloads.add(new RtpPayload(part, false, pos)); // G.711: one sample per byte
    }
    return new RtpFrame(RtpClock.toClockRate(pts, timebase, clockRate), true, payloads);
  }
}
