package io.camflow.media.rtp;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h265.H265NalType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * H.265 over RTP, RFC 7798 without DONL (sprop-max-don-diff 0, one RTP stream): single NAL unit
 * packets, one aggregation packet (AP) with VPS/SPS/PPS before every IRAP picture, fragmentation
 * units (FU) for NAL units larger than the payload limit. The parameter sets come from the access
 * unit, else its codec configuration, else the last ones seen, as in {@link H264Packetizer}. One
 * instance per stream.
 */
public final class H265Packetizer {

  static final int AP = 48;
  static final int FU = 49;
  private static final int NAL_HEADER_SIZE = 2;

  private final NalFragmenter fragmenter;
  private final ParameterSetMemory parameterSets =
      new ParameterSetMemory(H265Packetizer::isComplete);

  public H265Packetizer() {
    this(H264Packetizer.DEFAULT_MAX_PAYLOAD);
  }

  /**
   * @param maxPayload the largest RTP payload to produce, at least 100 bytes
   */
  public H265Packetizer(int maxPayload) {
    this.fragmenter = new NalFragmenter(maxPayload, H265PayloadHeaders.INSTANCE);
  }

  /** One H.265 access unit (Annex-B {@code data}) as RTP payloads at 90 kHz. */
  public RtpFrame packetize(AccessUnit accessUnit) {
    Objects.requireNonNull(accessUnit, "accessUnit");
    if (accessUnit.codec() != Codec.H265) {
      throw new IllegalArgumentException("not an H.265 access unit: " + accessUnit.codec().id());
    }
    List<byte[]> configSets =
        accessUnit.codecConfig() == null ? List.of() : AnnexB.split(accessUnit.codecConfig());
    long timestamp =
        RtpClock.toClockRate(accessUnit.pts(), accessUnit.timebase(), RtpClock.VIDEO_CLOCK_RATE);
    return new RtpFrame(
        timestamp, accessUnit.keyframe(), packetize(AnnexB.split(accessUnit.data()), configSets));
  }

  /** The payloads of one access unit given as NAL units; {@code configSets} may be empty. */
  public List<RtpPayload> packetize(List<byte[]> nalUnits, List<byte[]> configSets) {
    List<byte[]> carried = new ArrayList<>();
    List<byte[]> others = new ArrayList<>();
    boolean irap = false;
    for (byte[] nal : nalUnits) {
      if (nal.length < NAL_HEADER_SIZE) {
        continue; // not even a header
      }
      int type = H265NalType.type(nal);
      if (!worthSending(type)) {
        continue;
      }
      if (H265NalType.isParameterSet(type)) {
        carried.add(nal);
      } else {
        others.add(nal);
        irap |= H265NalType.isIrap(type);
      }
    }
    return fragmenter.accessUnit(parameterSets.ahead(carried, configSets, irap), others);
  }

  /**
   * As for H.264: delimiters and filler go (the RTP marker and timestamp delimit access units), SEI
   * stays, and types 48..63 go because receivers would take them for AP, FU or PACI packets.
   */
  private static boolean worthSending(int type) {
    return type < AP && type != H265NalType.AUD && type != H265NalType.FILLER;
  }

  private static boolean isComplete(List<byte[]> parameterSets) {
    boolean vps = false;
    boolean sps = false;
    boolean pps = false;
    for (byte[] nal : parameterSets) {
      int type = H265NalType.type(nal);
      vps |= type == H265NalType.VPS;
      sps |= type == H265NalType.SPS;
      pps |= type == H265NalType.PPS;
    }
    return vps && sps && pps;
  }
}
