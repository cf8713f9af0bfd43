package io.camflow.media.fmp4;

import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h265.H265NalType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Annex-B access units to MP4 sample data: each NAL unit behind a 4-byte big-endian length, as
 * {@code avcC}/{@code hvcC} with {@code lengthSizeMinusOne = 3} promise.
 *
 * <p>Parameter sets and access unit delimiters are dropped: with {@code avc1}/{@code hvc1} the
 * parameter sets live in the sample entry (a new set means a new init segment), and an AUD carries
 * nothing a length-prefixed sample needs. Framing follows {@code AnnexB.split}: 3- and 4-byte start
 * codes, bytes before the first start code ignored, trailing zero bytes of a NAL unit ({@code
 * trailing_zero_8bits} or the next start code's leading zero) not part of it.
 *
 * <p>Two passes over the input and one output array: no per-NAL-unit copies.
 */
final class LengthPrefixedNalUnits {

  private LengthPrefixedNalUnits() {}

  /**
   * Converts one Annex-B access unit of {@code codec} (H.264 or H.265).
   *
   * @throws IllegalArgumentException if no NAL unit is left after dropping parameter sets and AUDs
   */
  static byte[] fromAnnexB(Codec codec, byte[] annexB) {
    Objects.requireNonNull(annexB, "annexB");
    if (!codec.isVideo()) {
      throw new IllegalArgumentException(codec.id() + " has no NAL units");
    }
    // Pass 1: boundaries of the NAL units to keep, as (start, end) pairs.
    int[] bounds = new int[16];
    int count = 0;
    int outputSize = 0;
    int start = AnnexB.nextPayload(annexB, 0);
    while (start >= 0) {
      int next = AnnexB.nextPayload(annexB, start);
      int end = next < 0 ? annexB.length : next - 3;
      while (end > start && annexB[end - 1] == 0) {
        end--;
      }
      if (end > start && keep(codec, annexB[start])) {
        if (count * 2 == bounds.length) {
          bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        bounds[count * 2] = start;
        bounds[count * 2 + 1] = end;
        count++;
        outputSize += 4 + end - start;
      }
      start = next;
    }
    if (count == 0) {
      throw new IllegalArgumentException(
          "no "
              + codec.id()
              + " NAL units left in a "
              + annexB.length
              + "-byte access unit once parameter sets and AUDs are dropped (not Annex-B?)");
    }
    // Pass 2: length prefix and payload, straight into the sample.
    byte[] out = new byte[outputSize];
    int pos = 0;
    for (int i = 0; i < count; i++) {
      int from = bounds[i * 2];
      int length = bounds[i * 2 + 1] - from;
      out[pos] = (byte) (length >>> 24);
      out[pos + 1] = (byte) (length >>> 16);
      out[pos + 2] = (byte) (length >>> 8);
      out[pos + 3] = (byte) length;
      System.arraycopy(annexB, from, out, pos + 4, length);
      pos += 4 + length;
    }
    return out;
  }

  /** Whether a NAL unit with this first header byte belongs in the sample. */
  static boolean keep(Codec codec, byte header) {
    if (codec == Codec.H264) {
      int type = H264NalType.type(header);
      return !H264NalType.isParameterSet(type) && type != H264NalType.AUD;
    }
    int type = H265NalType.type(header);
    return !H265NalType.isParameterSet(type) && type != H265NalType.AUD;
  }
}
