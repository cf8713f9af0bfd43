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
 * unit, else its codec configuration, else the last ones seen, as in {@link H264Packetizer}.
 * One instance per stream.
 */
public final class H265Packetizer {

  static final int AP = 48;
  static final int FU = 49;
  private static final int NAL_HEADER_SIZE = 2;
  private static final int FU_HEADER_SIZE = 3; // payload header + FU header
  private static final int AP_LENGTH_SIZE = 2;

  private final int maxPayload;
  private List<byte[]> lastParameterSets = List.of();

  public H265Packetizer() {
    this(H264Packetizer.DEFAULT_MAX_PAYLOAD);
  }

  /** @param maxPayload the largest RTP payload to produce, at least 100 bytes */
  public H265Packetizer(int maxPayload) {
    if (maxPayload < 100) {
      throw new IllegalArgumentException("max payload must be >= 100 bytes, was " + maxPayload);
    }
    this.maxPayload = maxPayload;
  }

  /** One H.265 access unit (Annex-B {@code data}) as RTP payloads at 90 kHz. */
  public RtpFrame packetize(AccessUnit accessUnit) {
    Objects.requireNonNull(accessUnit, "accessUnit");
    if (accessUnit.codec() != Codec.H265) {
      throw new IllegalArgumentException("not an H.265 access unit: " + accessUnit.codec().id());
    }
    List<byte[]> configSets = accessUnit.codecConfig() == null ? List.of() : AnnexB.split(accessUnit.codecConfig());
    long timestamp = RtpClock.toClockRate(accessUnit.pts(), accessUnit.timebase(), RtpClock.VIDEO_CLOCK_RATE);
    return new RtpFrame(timestamp, accessUnit.keyframe(), packetize(AnnexB.split(accessUnit.data()), configSets));
  }

  /** The payloads of one access unit given as NAL units; {@code configSets} may be empty. */
  public List<RtpPayload> packetize(List<byte[]> nalUnits, List<byte[]> configSets) {
    List<byte[]> parameterSets = new ArrayList<>();
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
        parameterSets.add(nal);
      } else {
        others.add(nal);
        irap |= H265NalType.isIrap(type);
      }
    }
    if (isComplete(parameterSets)) {
      lastParameterSets = List.copyOf(parameterSets);
    } else if (irap) {
      if (isComplete(configSets)) {
        lastParameterSets = List.copyOf(configSets);
      }
      List<byte[]> merged = new ArrayList<>(lastParameterSets);
      merged.addAll(parameterSets);
      parameterSets = merged;
    }

    List<byte[]> payloads = new ArrayList<>();
    addParameterSets(parameterSets, payloads);
    for (byte[] nal : others) {
      addNalUnit(nal, payloads);
    }
    List<RtpPayload> result = new ArrayList<>(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      result.add(new RtpPayload(payloads.get(i), i == payloads.size() - 1));
    }
    return result;
  }

  /**
   * As for H.264: delimiters and filler go (the RTP marker and timestamp delimit access units),
   * SEI stays, and types 48..63 go because receivers would take them for AP, FU or PACI packets.
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

  /** One AP when they fit (RFC 7798 4.4.2), else each on its own. */
  private void addParameterSets(List<byte[]> parameterSets, List<byte[]> payloads) {
    int size = NAL_HEADER_SIZE;
    for (byte[] nal : parameterSets) {
      size += AP_LENGTH_SIZE + nal.length;
    }
    if (parameterSets.size() < 2 || size > maxPayload) {
      parameterSets.forEach(nal -> addNalUnit(nal, payloads));
      return;
    }
    // F is the OR of the aggregated F bits; LayerId and TID are their lowest values.
    int forbidden = 0;
    int layerId = 63;
    int tid = 7;
    for (byte[] nal : parameterSets) {
      forbidden |= nal[0] & 0x80;
      layerId = Math.min(layerId, ((nal[0] & 0x01) << 5) | ((nal[1] & 0xF8) >>> 3));
      tid = Math.min(tid, nal[1] & 0x07);
    }
    byte[] ap = new byte[size];
    ap[0] = (byte) (forbidden | (AP << 1) | (layerId >>> 5));
    ap[1] = (byte) (((layerId & 0x1F) << 3) | tid);
    int pos = NAL_HEADER_SIZE;
    for (byte[] nal : parameterSets) {
      ap[pos++] = (byte) (nal.length >>> 8);
      ap[pos++] = (byte) nal.length;
      System.arraycopy(nal, 0, ap, pos, nal.length);
      pos += nal.length;
    }
    payloads.add(ap);
  }

  /** A single NAL unit packet, or FUs of equal size (RFC 7798 4.4.3). */
  private void addNalUnit(byte[] nal, List<byte[]> payloads) {
    if (nal.length <= maxPayload) {
      payloads.add(nal);
      return;
    }
    int body = nal.length - NAL_HEADER_SIZE;
    int perFragment = maxPayload - FU_HEADER_SIZE;
    int fragments = (body + perFragment - 1) / perFragment;
    int base = body / fragments;
    int larger = body % fragments;
    int type = H265NalType.type(nal);
    byte header0 = (byte) ((nal[0] & 0x81) | (FU << 1)); // keeps F and the LayerId high bit
    int pos = NAL_HEADER_SIZE;
    for (int i = 0; i < fragments; i++) {
      int length = base + (i < larger ? 1 : 0);
      byte[] fu = new byte[FU_HEADER_SIZE + length];
      fu[0] = header0;
      fu[1] = nal[1];
      fu[2] = (byte) ((i == 0 ? 0x80 : 0) | (i == fragments - 1 ? 0x40 : 0) | type);
      System.arraycopy(nal, pos, fu, FU_HEADER_SIZE, length);
      pos += length;
      payloads.add(fu);
    }
  }
}
