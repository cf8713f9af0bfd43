package io.camflow.media.rtp;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * H.264 over RTP, RFC 6184 packetization-mode 1 (non-interleaved): single NAL unit packets, STAP-A
 * for the parameter sets, FU-A for NAL units larger than the payload limit.
 *
 * <p>Before every IDR picture the SPS and PPS go out in one STAP-A, taken from the access unit
 * itself, else from its codec configuration, else from the last ones seen: a WebRTC viewer can join
 * at any IDR and has no other way to learn them (the answer carries no sprop-parameter-sets).
 *
 * <p>One instance per stream, fed the stream's access units in order (it remembers the parameter
 * sets); the frames it returns are shared by every viewer.
 */
public final class H264Packetizer {

  /** Leaves room for IP/UDP/RTP/SRTP headers and TURN or VPN overhead below a 1500-byte MTU. */
  public static final int DEFAULT_MAX_PAYLOAD = 1200;

  static final int STAP_A = 24;
  static final int FU_A = 28;

  private final NalFragmenter fragmenter;
  private final ParameterSetMemory parameterSets =
      new ParameterSetMemory(H264Packetizer::isComplete);

  public H264Packetizer() {
    this(DEFAULT_MAX_PAYLOAD);
  }

  /**
   * @param maxPayload the largest RTP payload to produce, at least 100 bytes
   */
  public H264Packetizer(int maxPayload) {
    this.fragmenter = new NalFragmenter(maxPayload, H264PayloadHeaders.INSTANCE);
  }

  public int maxPayload() {
    return fragmenter.maxPayload();
  }

  /** One H.264 access unit (Annex-B {@code data}) as RTP payloads at 90 kHz. */
  public RtpFrame packetize(AccessUnit accessUnit) {
    Objects.requireNonNull(accessUnit, "accessUnit");
    if (accessUnit.codec() != Codec.H264) {
      throw new IllegalArgumentException("not an H.264 access unit: " + accessUnit.codec().id());
    }
    List<byte[]> configSets =
        accessUnit.codecConfig() == null ? List.of() : AnnexB.split(accessUnit.codecConfig());
    long timestamp =
        RtpClock.toClockRate(accessUnit.pts(), accessUnit.timebase(), RtpClock.VIDEO_CLOCK_RATE);
    return new RtpFrame(
        timestamp, accessUnit.keyframe(), packetize(AnnexB.split(accessUnit.data()), configSets));
  }

  /**
   * The payloads of one access unit given as NAL units (without start codes); {@code configSets}
   * are the SPS/PPS in force from the codec configuration, possibly empty. Empty when the access
   * unit holds nothing worth sending.
   */
  public List<RtpPayload> packetize(List<byte[]> nalUnits, List<byte[]> configSets) {
    List<byte[]> carried = new ArrayList<>();
    List<byte[]> others = new ArrayList<>();
    boolean idr = false;
    for (byte[] nal : nalUnits) {
      int type = H264NalType.type(nal);
      if (!worthSending(type)) {
        continue;
      }
      if (H264NalType.isParameterSet(type)) {
        carried.add(nal);
      } else {
        others.add(nal);
        idr |= H264NalType.isIdr(type);
      }
    }
    return fragmenter.accessUnit(parameterSets.ahead(carried, configSets, idr), others);
  }

  /**
   * Access unit delimiters and filler data are dropped: RTP's marker bit and timestamp already
   * delimit access units, and filler only pads constant-bit-rate channels (RFC 6184 allows both).
   * Types 0 and 24..31 are dropped because receivers would take them for RTP aggregation or
   * fragmentation units. SEI stays: it can carry captions, timecodes and recovery points.
   */
  private static boolean worthSending(int type) {
    return type > 0 && type < STAP_A && type != H264NalType.AUD && type != H264NalType.FILLER;
  }

  private static boolean isComplete(List<byte[]> parameterSets) {
    boolean sps = false;
    boolean pps = false;
    for (byte[] nal : parameterSets) {
      int type = H264NalType.type(nal);
      sps |= type == H264NalType.SPS;
      pps |= type == H264NalType.PPS;
    }
    return sps && pps;
  }
}
