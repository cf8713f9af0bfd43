package io.camflow.media.h264;

import io.camflow.media.bits.ByteReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code avcC} box payload (ISO/IEC 14496-15 5.3.3.1), which FFmpeg also uses as H.264
 * extradata when the source is MP4-like.
 *
 * @param nalLengthSize bytes of each NAL length prefix in samples (1, 2 or 4)
 * @param sps the SPS NAL units, header byte included
 * @param pps the PPS NAL units, header byte included
 */
public record AvcDecoderConfigurationRecord(
    int profileIdc,
    int profileCompatibility,
    int levelIdc,
    int nalLengthSize,
    List<byte[]> sps,
    List<byte[]> pps) {

  public AvcDecoderConfigurationRecord {
    sps = List.copyOf(sps);
    pps = List.copyOf(pps);
  }

  /**
   * Parses an avcC payload (the box body, without size and type). The optional trailer of high
   * profiles (chroma format, bit depths, SPS extensions) is not needed here and is ignored.
   *
   * @throws IllegalArgumentException if it is not version 1 or is truncated
   */
  public static AvcDecoderConfigurationRecord parse(byte[] avcC) {
    ByteReader in = new ByteReader(avcC);
    int version = in.u8();
    if (version != 1) {
      throw new IllegalArgumentException("avcC configurationVersion must be 1, was " + version);
    }
    int profile = in.u8();
    int compatibility = in.u8();
    int level = in.u8();
    int lengthSize = (in.u8() & 0x03) + 1;
    if (lengthSize == 3) {
      throw new IllegalArgumentException("avcC lengthSizeMinusOne of 2 is not allowed");
    }
    List<byte[]> sps = new ArrayList<>();
    for (int i = in.u8() & 0x1F; i > 0; i--) {
      sps.add(in.bytes(in.u16()));
    }
    List<byte[]> pps = new ArrayList<>();
    for (int i = in.u8(); i > 0; i--) {
      pps.add(in.bytes(in.u16()));
    }
    return new AvcDecoderConfigurationRecord(profile, compatibility, level, lengthSize, sps, pps);
  }

  /** SPS then PPS NAL units, the order a decoder needs them in. */
  public List<byte[]> parameterSets() {
    List<byte[]> all = new ArrayList<>(sps);
    all.addAll(pps);
    return all;
  }
}
