package io.camflow.media.fmp4;

import io.camflow.media.h264.H264NalType;
import io.camflow.media.h264.H264Sps;
import java.util.List;

/**
 * The {@code avcC} box: AVCDecoderConfigurationRecord of ISO/IEC 14496-15 5.3.3.1, with 4-byte NAL
 * lengths in the samples.
 */
final class AvcConfigurationBox {

  /**
   * Profiles whose record carries chroma format and bit depths after the PPS (14496-15 5.3.3.1.2).
   */
  private static final List<Integer> PROFILES_WITH_EXTENSION = List.of(100, 110, 122, 144);

  private AvcConfigurationBox() {}

  static void write(BoxWriter w, TrackFormat track) {
    List<byte[]> sps = track.parameterSetsOfType(H264NalType.SPS);
    List<byte[]> pps = track.parameterSetsOfType(H264NalType.PPS);
    if (sps.size() > 31 || pps.size() > 255) {
      throw new IllegalArgumentException(
          "avcC holds at most 31 SPS and 255 PPS, have " + sps.size() + " and " + pps.size());
    }
    H264Sps first = H264Sps.parse(sps.get(0));
    int box = w.begin("avcC");
    w.u8(1); // configurationVersion
    w.u8(first.profileIdc());
    w.u8(first.constraintFlags()); // profile_compatibility
    w.u8(first.levelIdc());
    w.u8(0xFC | 3); // reserved '111111', lengthSizeMinusOne = 3
    w.u8(0xE0 | sps.size()); // reserved '111', numOfSequenceParameterSets
    for (byte[] nal : sps) {
      w.u16(nal.length);
      w.bytes(nal);
    }
    w.u8(pps.size());
    for (byte[] nal : pps) {
      w.u16(nal.length);
      w.bytes(nal);
    }
    if (PROFILES_WITH_EXTENSION.contains(first.profileIdc())) {
      w.u8(0xFC | first.chromaFormatIdc());
      w.u8(0xF8 | (first.bitDepthLuma() - 8));
      w.u8(0xF8 | (first.bitDepthChroma() - 8));
      w.u8(0); // numOfSequenceParameterSetExt
    }
    w.end(box);
  }
}
