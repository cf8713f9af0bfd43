package io.camflow.media;

import java.util.Arrays;
import java.util.Objects;

/**
 * One decodable unit of one track: a whole video picture or one audio frame.
 *
 * <p>The arrays are not copied, to keep the hot path allocation-free; treat them as immutable once
 * an access unit is built. {@code equals}/{@code hashCode} compare array contents.
 *
 * @param track track index within the stream (0 = first), never negative
 * @param codec the codec of {@code data}
 * @param pts presentation time in {@code timebase} ticks
 * @param dts decoding time in {@code timebase} ticks ({@code == pts} without B-frames)
 * @param timebase ticks per second, e.g. 90000 for video, the sample rate for audio
 * @param keyframe whether decoding can start here (IDR/IRAP for video; always true for audio)
 * @param data video: Annex-B access unit with 4-byte start codes; audio: one raw frame
 * @param codecConfig video: Annex-B parameter sets (VPS/SPS/PPS) in force, on keyframes only; AAC:
 *     the AudioSpecificConfig; {@code null} when none
 */
public record AccessUnit(
    int track,
    Codec codec,
    long pts,
    long dts,
    int timebase,
    boolean keyframe,
    byte[] data,
    byte[] codecConfig) {

  public AccessUnit {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(data, "data");
    if (track < 0) {
      throw new IllegalArgumentException("track must be >= 0, was " + track);
    }
    if (timebase <= 0) {
      throw new IllegalArgumentException("timebase must be > 0, was " + timebase);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccessUnit that
        && track == that.track
        && codec == that.codec
        && pts == that.pts
        && dts == that.dts
        && timebase == that.timebase
        && keyframe == that.keyframe
        && Arrays.equals(data, that.data)
        && Arrays.equals(codecConfig, that.codecConfig);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(track, codec, pts, dts, timebase, keyframe);
    return 31 * (31 * h + Arrays.hashCode(data)) + Arrays.hashCode(codecConfig);
  }

  /** Sizes instead of bytes: access units end up in logs. */
  @Override
  public String toString() {
    return "AccessUnit[track="
        + track
        + ", codec="
        + codec.id()
        + ", pts="
        + pts
        + ", dts="
        + dts
        + ", timebase="
        + timebase
        + ", keyframe="
        + keyframe
        + ", data="
        + data.length
        + " bytes"
        + ", codecConfig="
        + (codecConfig == null ? "none" : codecConfig.length + " bytes")
        + "]";
  }
}
