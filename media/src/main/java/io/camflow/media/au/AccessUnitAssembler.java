package io.camflow.media.au;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.au.NalSyntax.ParameterSetKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns demuxer packets of one H.264/H.265 track into self-contained {@link AccessUnit}s: every
 * keyframe starts with the parameter sets in force, so a viewer may start at any keyframe of the
 * Kafka topic, whether the camera repeats its parameter sets in-band or sent them only in the SDP.
 *
 * <p>Rules, in the order a packet meets them:
 *
 * <ul>
 *   <li>A packet starting with a start code is Annex-B, anything else is length-prefixed (4 bytes,
 *       or the size an avcC/hvcC extradata announced). A packet that starts with {@code 00 00 01}
 *       but parses exactly as length-prefixed NAL units is taken as length-prefixed (a NAL length
 *       of 256..511 bytes begins with those same bytes).
 *   <li>AUD NAL units, NAL units with forbidden_zero_bit set and header-only ones (which includes
 *       end-of-sequence/end-of-stream: meaningless in a live stream) are dropped.
 *   <li>Parameter sets are remembered by kind and id; a later one replaces an earlier one with the
 *       same id, whether it came in-band or out-of-band. One whose id cannot be read is dropped.
 *   <li>A keyframe is decided from the NAL types (H.264 IDR, H.265 IRAP 16..23), not by the caller.
 *       Its data is all remembered parameter sets (VPS, SPS, PPS order) followed by the packet's
 *       other NAL units; {@code codecConfig} is those parameter sets. A keyframe before any
 *       parameter set is known is still emitted, with {@code codecConfig == null}.
 *   <li>A non-keyframe keeps any parameter sets it carried, in front of its other NAL units: an
 *       encoder may introduce a new PPS mid-GOP and the very next picture may need it.
 *   <li>A packet without any picture (only parameter sets/SEI) yields nothing; its parameter sets
 *       are remembered and its prefix SEI is carried into the next access unit (up to 64 KiB,
 *       beyond which SEI is dropped); other non-picture NAL units of such a packet are dropped.
 *   <li>{@code pts == Long.MIN_VALUE} means unknown and becomes {@code dts}.
 *   <li>{@code dts == Long.MIN_VALUE} means unknown, as with RTP, which carries presentation times
 *       only: decode times are derived from the presentation times and the reorder depth of the
 *       latest SPS ({@link DecodeTimestamps}), starting over at the first keyframe. Without
 *       B-frames that is the presentation time; with them, monotonic decode times at or before the
 *       presentation times.
 * </ul>
 *
 * Malformed input never throws out of {@link #assemble}: unreadable NAL units are dropped and a
 * malformed SPS leaves {@link #format()} as it was. Not thread-safe: one assembler per track.
 */
public final class AccessUnitAssembler {

  /** The most SEI carried from picture-less packets, so a stream of SEI alone cannot pile up. */
  private static final int MAX_CARRIED_SEI_BYTES = 64 * 1024;

  /**
   * For the invented decode times before a session's first picture when the SPS states no frame
   * rate.
   */
  private static final int DEFAULT_FRAME_RATE = 25;

  private final Codec codec;
  private final NalSyntax syntax;
  private final int track;
  private final int timebase;
  private final ParameterSets parameterSets = new ParameterSets();
  private final List<byte[]> carriedSei = new ArrayList<>();
  private final DecodeTimestamps decodeTimes;
  private int carriedSeiBytes;
  private int nalLengthSize = 4;
  private VideoFormat format;
  private boolean sawKeyframe;
  private byte[] lastKeyframeConfig;
  private boolean lastKeyframeChangedConfig;

  /**
   * @param codec {@link Codec#H264} or {@link Codec#H265}
   * @param track the track index written into each access unit
   * @param timebase ticks per second of the timestamps passed to {@link #assemble}
   */
  public AccessUnitAssembler(Codec codec, int track, int timebase) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.syntax = NalSyntax.of(codec);
    if (track < 0) {
      throw new IllegalArgumentException("track must be >= 0, was " + track);
    }
    if (timebase <= 0) {
      throw new IllegalArgumentException("timebase must be > 0, was " + timebase);
    }
    this.track = track;
    this.timebase = timebase;
    this.decodeTimes = new DecodeTimestamps(Math.max(1, timebase / DEFAULT_FRAME_RATE));
  }

  /**
   * Parameter sets known before the first packet: the demuxer's extradata, from the SDP's
   * sprop-parameter-sets / sprop-vps/sps/pps or from an MP4-style source. Annex-B and avcC/hvcC
   * forms are told apart by their first bytes.
   *
   * @throws IllegalArgumentException if the extradata is neither form, or a malformed avcC/hvcC
   */
  public void setOutOfBandParameterSets(byte[] extradata) {
    Objects.requireNonNull(extradata, "extradata");
    if (extradata.length == 0) {
      return;
    }
    List<byte[]> nalUnits;
    if (AnnexB.startsWithStartCode(extradata)) {
      nalUnits = AnnexB.split(extradata);
    } else if (extradata[0] == 1) { // configurationVersion of avcC and hvcC
      NalSyntax.DecoderConfiguration config = syntax.decoderConfiguration(extradata);
      nalLengthSize = config.nalLengthSize();
      nalUnits = config.nalUnits();
    } else {
      throw new IllegalArgumentException(
          codec.id()
              + " extradata is neither Annex-B nor a decoder "
              + "configuration record (first byte 0x"
              + Integer.toHexString(extradata[0] & 0xFF)
              + ")");
    }
    for (byte[] nal : nalUnits) {
      if (syntax.isPlausible(nal)) {
        ParameterSetKind kind = syntax.parameterSetKind(syntax.type(nal));
        if (kind != null) {
          remember(kind, nal);
        }
      }
    }
  }

  /**
   * Assembles one demuxer packet (one access unit's NAL units, Annex-B or length-prefixed).
   *
   * @param pts presentation time in timebase ticks
   * @param dts decoding time in timebase ticks, {@code Long.MIN_VALUE} if unknown
   * @return the access unit, or empty if the packet holds no picture
   */
  public Optional<AccessUnit> assemble(byte[] packet, long pts, long dts) {
    Objects.requireNonNull(packet, "packet");
    List<byte[]> inBandSets = new ArrayList<>();
    List<byte[]> others = new ArrayList<>();
    boolean hasPicture = false;
    boolean keyframe = false;
    for (byte[] nal : split(packet)) {
      if (!syntax.isPlausible(nal)) {
        continue;
      }
      int type = syntax.type(nal);
      ParameterSetKind kind = syntax.parameterSetKind(type);
      if (kind != null) {
        if (remember(kind, nal)) {
          inBandSets.add(nal);
        }
      } else if (!syntax.isAud(type)) {
        hasPicture |= syntax.isVcl(type);
        keyframe |= syntax.isKeyframe(type);
        others.add(nal);
      }
    }
    if (!hasPicture) {
      carrySei(others);
      return Optional.empty();
    }
    if (keyframe && !sawKeyframe) {
      decodeTimes.restart(); // whatever came before the first keyframe is not passed on
    }

    List<byte[]> out = new ArrayList<>();
    byte[] codecConfig = null;
    if (keyframe) {
      List<byte[]> sets = parameterSets.inDecodingOrder();
      codecConfig = sets.isEmpty() ? null : AnnexB.join(sets);
      lastKeyframeChangedConfig = !sawKeyframe || !Arrays.equals(codecConfig, lastKeyframeConfig);
      sawKeyframe = true;
      lastKeyframeConfig = codecConfig;
      out.addAll(sets);
    } else {
      out.addAll(inBandSets);
    }
    out.addAll(carriedSei);
    carriedSei.clear();
    carriedSeiBytes = 0;
    out.addAll(others);

    long knownPts = pts == Long.MIN_VALUE ? dts : pts;
    long knownDts =
        dts != Long.MIN_VALUE || knownPts == Long.MIN_VALUE ? dts : decodeTimes.next(knownPts);
    return Optional.of(
        new AccessUnit(
            track, codec, knownPts, knownDts, timebase, keyframe, AnnexB.join(out), codecConfig));
  }

  /**
   * Whether the last keyframe's parameter sets differ from those of the keyframe before it (a new
   * resolution, profile, ...): time for a new init segment. True for the first keyframe.
   */
  public boolean lastKeyframeChangedConfig() {
    return lastKeyframeChangedConfig;
  }

  /**
   * Pictures whose derived decode time had to be repaired because the stream reorders deeper than
   * its SPS says (see {@link DecodeTimestamps}); 0 for a conforming stream.
   */
  public long decodeTimeRepairs() {
    return decodeTimes.repairs();
  }

  /** The reorder depth the derived decode times follow (from the latest SPS; 0 before any). */
  public int reorderDepth() {
    return decodeTimes.reorderDepth();
  }

  /** The format described by the most recent SPS that could be parsed, if any. */
  public Optional<VideoFormat> format() {
    return Optional.ofNullable(format);
  }

  public Codec codec() {
    return codec;
  }

  private List<byte[]> split(byte[] packet) {
    try {
      if (!AnnexB.startsWithStartCode(packet)
          || (packet[2] == 1 && isExactlyLengthPrefixed(packet))) {
        return AnnexB.splitLengthPrefixed(packet, nalLengthSize);
      }
    } catch (IllegalArgumentException notLengthPrefixed) {
      // fall through: salvage whatever start codes there are
    }
    return AnnexB.split(packet);
  }

  private boolean isExactlyLengthPrefixed(byte[] packet) {
    try {
      return AnnexB.splitLengthPrefixed(packet, nalLengthSize).stream()
          .allMatch(syntax::isPlausible);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Files a parameter set under its id; false if the id cannot be read. */
  private boolean remember(ParameterSetKind kind, byte[] nal) {
    int id;
    try {
      id = syntax.parameterSetId(kind, nal);
    } catch (IllegalArgumentException unreadable) {
      return false; // a decoder could not file it either
    }
    parameterSets.put(kind, id, nal);
    if (kind == ParameterSetKind.SPS) {
      try {
        format = syntax.format(nal);
        decodeTimes.reorderDepth(syntax.reorderDepth(nal));
        if (format.frameRate() > 0) {
          decodeTimes.frameInterval(Math.max(1, Math.round(timebase / format.frameRate())));
        }
      } catch (IllegalArgumentException malformed) {
        // keep the previous format: better a stale resolution than none
      }
    }
    return true;
  }

  private void carrySei(List<byte[]> nalUnits) {
    for (byte[] nal : nalUnits) {
      if (syntax.isPrefixSei(syntax.type(nal))
          && carriedSeiBytes + nal.length <= MAX_CARRIED_SEI_BYTES) {
        carriedSei.add(nal);
        carriedSeiBytes += nal.length;
      }
    }
  }
}
