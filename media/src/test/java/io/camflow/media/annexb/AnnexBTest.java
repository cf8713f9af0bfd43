package io.camflow.media.annexb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.h264.H264NalType;
import io.camflow.media.testing.Bitstreams;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnexBTest {

  private static final byte[] A = {0x67, 0x42, 0x00, 0x1f};
  private static final byte[] B = {0x68, (byte) 0xce};
  private static final byte[] C = {0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x21};

  @Test
  void splitsFourByteStartCodes() {
    List<byte[]> nals =
        AnnexB.split(bytes(0, 0, 0, 1, 0x67, 0x42, 0x00, 0x1f, 0, 0, 0, 1, 0x68, 0xce));
    assertEquals(2, nals.size());
    assertArrayEquals(A, nals.get(0));
    assertArrayEquals(B, nals.get(1));
  }

  @Test
  void splitsThreeByteAndMixedStartCodes() {
    List<byte[]> nals =
        AnnexB.split(
            bytes(
                0, 0, 1, 0x67, 0x42, 0x00, 0x1f, 0, 0, 0, 1, 0x68, 0xce, 0, 0, 1, 0x65, 0x88, 0x84,
                0x00, 0x21));
    assertEquals(3, nals.size());
    assertArrayEquals(A, nals.get(0));
    assertArrayEquals(B, nals.get(1));
    assertArrayEquals(C, nals.get(2));
  }

  @Test
  void dropsTrailingZerosLeadingGarbageAndEmptyUnits() {
    List<byte[]> nals =
        AnnexB.split(
            bytes(
                0xAB, 0xCD, 0, 0x12, 0, 0, 1, 0x68, 0xce, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0x65, 0x88,
                0x84, 0x00, 0x21, 0, 0));
    assertEquals(2, nals.size());
    assertArrayEquals(B, nals.get(0));
    assertArrayEquals(C, nals.get(1));
  }

  @Test
  void noStartCodeMeansNoNalUnits() {
    assertTrue(AnnexB.split(new byte[0]).isEmpty());
    assertTrue(AnnexB.split(bytes(0x67, 0x42, 0, 0)).isEmpty());
    assertTrue(AnnexB.split(bytes(0, 0, 1)).isEmpty());
    assertTrue(AnnexB.split(bytes(0, 0, 0, 1, 0, 0)).isEmpty());
  }

  @Test
  void joinUsesFourByteStartCodesAndRoundTrips() {
    byte[] joined = AnnexB.join(List.of(A, B, C));
    assertArrayEquals(
        bytes(
            0, 0, 0, 1, 0x67, 0x42, 0x00, 0x1f, 0, 0, 0, 1, 0x68, 0xce, 0, 0, 0, 1, 0x65, 0x88,
            0x84, 0x00, 0x21),
        joined);
    List<byte[]> again = AnnexB.split(joined);
    assertEquals(3, again.size());
    assertArrayEquals(C, again.get(2));
    assertArrayEquals(new byte[0], AnnexB.join(List.of()));
  }

  @Test
  void realStreamRoundTripsThroughSplitAndJoin() {
    // libx264 writes 4-byte start codes before parameter sets and 3-byte ones before most slices
    byte[] stream = Bitstreams.resource("h264_720p25_aud.h264");
    List<byte[]> nals = AnnexB.split(stream);
    assertEquals(
        List.of(9, 7, 8, 6, 5), nals.subList(0, 5).stream().map(H264NalType::type).toList());
    List<byte[]> again = AnnexB.split(AnnexB.join(nals));
    assertEquals(nals.size(), again.size());
    for (int i = 0; i < nals.size(); i++) {
      assertArrayEquals(nals.get(i), again.get(i), "NAL " + i);
    }
    int payload = nals.stream().mapToInt(n -> n.length).sum();
    assertTrue(
        stream.length - payload >= 3 * nals.size() && stream.length - payload <= 4 * nals.size());
  }

  @Test
  void detectsStartCodes() {
    assertTrue(AnnexB.startsWithStartCode(bytes(0, 0, 1, 0x67)));
    assertTrue(AnnexB.startsWithStartCode(bytes(0, 0, 0, 1)));
    assertFalse(AnnexB.startsWithStartCode(bytes(0, 0, 0, 0x1a, 0x67)));
    assertFalse(AnnexB.startsWithStartCode(bytes(0, 0)));
    assertFalse(AnnexB.startsWithStartCode(bytes(0, 0, 0)));
    assertFalse(AnnexB.startsWithStartCode(null));
  }

  @Test
  void splitsLengthPrefixedUnits() {
    List<byte[]> four =
        AnnexB.splitLengthPrefixed(
            bytes(0, 0, 0, 4, 0x67, 0x42, 0x00, 0x1f, 0, 0, 0, 2, 0x68, 0xce), 4);
    assertEquals(2, four.size());
    assertArrayEquals(A, four.get(0));
    assertArrayEquals(B, four.get(1));
    List<byte[]> two =
        AnnexB.splitLengthPrefixed(bytes(0, 2, 0x68, 0xce, 0, 0, 0, 4, 0x67, 0x42, 0x00, 0x1f), 2);
    assertEquals(2, two.size(), "zero-length unit skipped");
    assertArrayEquals(A, two.get(1));
    assertArrayEquals(B, AnnexB.splitLengthPrefixed(bytes(2, 0x68, 0xce), 1).get(0));
    assertTrue(AnnexB.splitLengthPrefixed(new byte[0], 4).isEmpty());
  }

  @Test
  void truncatedLengthPrefixedDataIsIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class,
        () -> AnnexB.splitLengthPrefixed(bytes(0, 0, 0, 5, 0x67, 0x42), 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> AnnexB.splitLengthPrefixed(bytes(0, 0, 0, 1, 0x09, 0, 0), 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> AnnexB.splitLengthPrefixed(bytes(0xFF, 0xFF, 0xFF, 0xFF, 1), 4));
    assertThrows(
        IllegalArgumentException.class, () -> AnnexB.splitLengthPrefixed(bytes(0, 1, 2), 5));
  }

  @Test
  void lengthPrefixedRoundTripOfARealAccessUnit() {
    List<byte[]> au =
        Bitstreams.accessUnits(
                Bitstreams.resource("h264_720p25_aud.h264"), io.camflow.media.Codec.H264)
            .get(0);
    List<byte[]> back = AnnexB.splitLengthPrefixed(Bitstreams.lengthPrefixed(au), 4);
    assertEquals(au.size(), back.size());
    for (int i = 0; i < au.size(); i++) {
      assertArrayEquals(au.get(i), back.get(i));
    }
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
