package io.camflow.media.h265;

import io.camflow.media.bits.ByteReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code hvcC} box payload (ISO/IEC 14496-15 8.3.3.1), which FFmpeg also uses as HEVC extradata
 * when the source is MP4-like.
 *
 * @param nalLengthSize bytes of each NAL length prefix in samples (1, 2 or 4)
 * @param parameterSets every NAL unit of every array in box order (VPS, SPS, PPS, SEI as written)
 */
public record HevcDecoderConfigurationRecord(int nalLengthSize, List<byte[]> parameterSets) {

  public HevcDecoderConfigurationRecord {
    parameterSets = List.copyOf(parameterSets);
  }

  /**
   * Parses an hvcC payload (the box body, without size and type).
   *
   * @throws IllegalArgumentException if it is not version 1 or is truncated
   */
  public static HevcDecoderConfigurationRecord parse(byte[] hvcC) {
    ByteReader in = new ByteReader(hvcC);
    int version = in.u8();
    if (version != 1) {
      throw new IllegalArgumentException("hvcC configurationVersion must be 1, was " + version);
    }
    // profile/tier/level (12), min_spatial_segmentation (2), parallelism, chroma format,
    // bit depths (4), avgFrameRate (2): all repeated in the SPS itself.
    in.skip(20);
    int lengthSize = (in.u8() & 0x03) + 1;
    if (lengthSize == 3) {
      throw new IllegalArgumentException("hvcC lengthSizeMinusOne of 2 is not allowed");
    }
    List<byte[]> nalUnits = new ArrayList<>();
    for (int arrays = in.u8(); arrays > 0; arrays--) {
      in.u8(); // array_completeness, reserved, NAL_unit_type: each NAL unit has its own header
      for (int n = in.u16(); n > 0; n--) {
        nalUnits.add(in.bytes(in.u16()));
      }
    }
    return new HevcDecoderConfigurationRecord(lengthSize, nalUnits);
  }
}
