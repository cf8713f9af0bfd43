package io.camflow.media.fmp4;

import io.camflow.media.AccessUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * One MP4 sample as a track run describes it. Times are in the track's timescale.
 *
 * <p>The array is not copied (hot path); treat it as immutable. {@code equals}/{@code hashCode}
 * compare its contents.
 *
 * @param data the sample bytes: video as 4-byte length-prefixed NAL units, audio as one frame
 * @param duration decode duration: the next sample's dts minus this one's, {@code >= 0}
 * @param compositionOffset pts minus dts; negative values are allowed ({@code trun} version 1)
 * @param sync whether decoding can start here (video keyframe; every audio frame)
 */
public record Sample(byte[] data, int duration, int compositionOffset, boolean sync) {

  public Sample {
    Objects.requireNonNull(data, "data");
    if (duration < 0) {
      throw new IllegalArgumentException("sample duration must be >= 0, was " + duration);
    }
  }

  /**
   * The sample for an access unit. Video: Annex-B becomes length-prefixed, parameter sets and AUDs
   * are dropped (they belong to the init segment), {@code sync} is the keyframe flag. Audio: the
   * frame as it is, always sync (every AAC/G.711 frame decodes on its own, whatever the record's
   * keyframe header says). {@code compositionOffset = pts - dts}.
   *
   * <p>Timestamps are taken as they are: the access unit's timebase must be the track's timescale
   * (90 kHz video; audio at its sample rate), otherwise rescale first.
   *
   * @param duration the next access unit's dts minus this one's (see {@code docs/fmp4.md} for the
   *     last sample of a live part)
   * @throws IllegalArgumentException if the duration is negative, pts - dts does not fit an int,
   *     the data is empty, or a video access unit has no NAL unit to keep
   */
  public static Sample fromAccessUnit(AccessUnit au, int duration) {
    Objects.requireNonNull(au, "au");
    long offset = au.pts() - au.dts();
    if (offset != (int) offset) {
      throw new IllegalArgumentException(
          "pts - dts = " + offset + " does not fit a composition offset (" + au + ")");
    }
    if (au.data().length == 0) {
      throw new IllegalArgumentException("empty access unit: " + au);
    }
    if (au.codec().isVideo()) {
      byte[] data = LengthPrefixedNalUnits.fromAnnexB(au.codec(), au.data());
      return new Sample(data, duration, (int) offset, au.keyframe());
    }
    return new Sample(au.data(), duration, (int) offset, true);
  }

  /** The 32-bit {@code sample_flags} of {@code trun} for this sample (ISO/IEC 14496-12 8.8.3.1). */
  public int flags() {
    return sync ? SampleFlags.SYNC : SampleFlags.NON_SYNC;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample that
        && duration == that.duration
        && compositionOffset == that.compositionOffset
        && sync == that.sync
        && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(duration, compositionOffset, sync) + Arrays.hashCode(data);
  }

  /** Sizes instead of bytes: samples end up in logs. */
  @Override
  public String toString() {
    return "Sample[data="
        + data.length
        + " bytes, duration="
        + duration
        + ", compositionOffset="
        + compositionOffset
        + ", sync="
        + sync
        + "]";
  }
}
