package io.camflow.media.annexb;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * NAL unit framing: Annex-B byte streams (start codes) and the length-prefixed form of MP4 samples
 * and avcC/hvcC extradata.
 */
public final class AnnexB {

  private static final byte[] START_CODE = {0, 0, 0, 1};

  private AnnexB() {}

  /**
   * Splits an Annex-B byte stream into NAL units (without start codes). Accepts 3- and 4-byte start
   * codes; bytes before the first start code are dropped, as are trailing zero bytes of a NAL unit
   * (they belong to the next start code or are {@code trailing_zero_8bits}; a NAL unit never ends
   * in zero) and empty NAL units. No start code at all yields an empty list.
   */
  public static List<byte[]> split(byte[] annexB) {
    Objects.requireNonNull(annexB, "annexB");
    List<byte[]> nalUnits = new ArrayList<>();
    int start = nextPayload(annexB, 0);
    while (start >= 0) {
      int next = nextPayload(annexB, start);
      int end = next < 0 ? annexB.length : next - 3;
      while (end > start && annexB[end - 1] == 0) {
        end--;
      }
      if (end > start) {
        nalUnits.add(Arrays.copyOfRange(annexB, start, end));
      }
      start = next;
    }
    return nalUnits;
  }

  /**
   * Index of the first byte after the next {@code 00 00 01} at or after {@code from}, or -1. For
   * callers that walk NAL units in place without allocating them.
   */
  public static int nextPayload(byte[] b, int from) {
    for (int i = from; i + 2 < b.length; i++) {
      if ((b[i + 2] & 0xFF) > 1) {
        i += 2; // b[i+2] cannot be part of a start code, nor can anything before it
      } else if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
        return i + 3;
      }
    }
    return -1;
  }

  /** Joins NAL units into an Annex-B stream with 4-byte start codes. */
  public static byte[] join(List<byte[]> nalUnits) {
    int size = 0;
    for (byte[] nal : nalUnits) {
      size += START_CODE.length + nal.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    for (byte[] nal : nalUnits) {
      out.writeBytes(START_CODE);
      out.writeBytes(nal);
    }
    return out.toByteArray();
  }

  /** Whether {@code data} begins with {@code 00 00 01} or {@code 00 00 00 01}. */
  public static boolean startsWithStartCode(byte[] data) {
    if (data == null || data.length < 3 || data[0] != 0 || data[1] != 0) {
      return false;
    }
    return data[2] == 1 || (data[2] == 0 && data.length >= 4 && data[3] == 1);
  }

  /**
   * Splits length-prefixed NAL units (AVCC/HVCC sample format) with big-endian lengths of {@code
   * lengthSize} bytes (1..4). Zero-length NAL units are skipped.
   *
   * @throws IllegalArgumentException if a length runs past the end of {@code data}
   */
  public static List<byte[]> splitLengthPrefixed(byte[] data, int lengthSize) {
    Objects.requireNonNull(data, "data");
    if (lengthSize < 1 || lengthSize > 4) {
      throw new IllegalArgumentException("NAL length size must be 1..4, was " + lengthSize);
    }
    List<byte[]> nalUnits = new ArrayList<>();
    int pos = 0;
    while (pos < data.length) {
      if (data.length - pos < lengthSize) {
        throw new IllegalArgumentException("truncated NAL length at offset " + pos);
      }
      long length = 0;
      for (int i = 0; i < lengthSize; i++) {
        length = (length << 8) | (data[pos++] & 0xFF);
      }
      if (length > data.length - pos) {
        throw new IllegalArgumentException(
            "NAL length "
                + length
                + " at offset "
                + (pos - lengthSize)
                + " runs past the end ("
                + (data.length - pos)
                + " bytes left)");
      }
      if (length > 0) {
        nalUnits.add(Arrays.copyOfRange(data, pos, pos + (int) length));
      }
      pos += (int) length;
    }
    return nalUnits;
  }
}
