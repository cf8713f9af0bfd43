package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared part of RFC 6184 and RFC 7798 payloads, with both codecs' headers. */
class NalFragmenterTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final NalFragmenter H264 = new NalFragmenter(100, H264PayloadHeaders.INSTANCE);
  private static final NalFragmenter H265 = new NalFragmenter(100, H265PayloadHeaders.INSTANCE);

  private static byte[] nal(String header, int size, long seed) {
    byte[] h = HEX.parseHex(header);
    byte[] nal = new byte[size];
    new Random(seed).nextBytes(nal);
    System.arraycopy(h, 0, nal, 0, h.length);
    return nal;
  }

  @Test
  void aNalUnitThatFitsGoesWhole() {
    byte[] nal = nal("65", 100, 1);
    List<byte[]> out = new ArrayList<>();
    H264.add(nal, out);
    assertEquals(1, out.size());
    assertArrayEquals(nal, out.get(0));
  }

  @ParameterizedTest
  @ValueSource(ints = {101, 199, 200, 997, 5000})
  void h264FuAFragmentsAreNearEqualAndRebuildTheNalUnit(int size) {
    byte[] nal = nal("65", size, size); // NRI 3, IDR
    List<byte[]> out = new ArrayList<>();
    H264.add(nal, out);
    assertTrue(out.size() >= 2, "fragmented");
    ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
    rebuilt.write(nal[0]);
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int i = 0; i < out.size(); i++) {
      byte[] fu = out.get(i);
      assertTrue(fu.length <= 100, "within the payload limit");
      assertEquals(0x7C, fu[0] & 0xFF, "FU indicator: F 0, NRI 3, type 28");
      assertEquals(
          (i == 0 ? 0x80 : 0) | (i == out.size() - 1 ? 0x40 : 0) | 5,
          fu[1] & 0xFF,
          "FU header: S, E, type 5");
      rebuilt.write(fu, 2, fu.length - 2);
      min = Math.min(min, fu.length);
      max = Math.max(max, fu.length);
    }
    assertTrue(max - min <= 1, "sizes " + min + ".." + max);
    assertArrayEquals(nal, rebuilt.toByteArray());
  }

  @ParameterizedTest
  @ValueSource(ints = {101, 199, 200, 997, 5000})
  void h265FuFragmentsAreNearEqualAndRebuildTheNalUnit(int size) {
    byte[] nal = nal("2601", size, size); // IDR_W_RADL (19), LayerId 0, TID 1
    List<byte[]> out = new ArrayList<>();
    H265.add(nal, out);
    assertTrue(out.size() >= 2, "fragmented");
    ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
    rebuilt.write(nal, 0, 2);
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int i = 0; i < out.size(); i++) {
      byte[] fu = out.get(i);
      assertTrue(fu.length <= 100, "within the payload limit");
      assertEquals("6201", HEX.formatHex(fu, 0, 2), "payload header: type 49, LayerId 0, TID 1");
      assertEquals(
          (i == 0 ? 0x80 : 0) | (i == out.size() - 1 ? 0x40 : 0) | 19,
          fu[2] & 0xFF,
          "FU header: S, E, type 19");
      rebuilt.write(fu, 3, fu.length - 3);
      min = Math.min(min, fu.length);
      max = Math.max(max, fu.length);
    }
    assertTrue(max - min <= 1, "sizes " + min + ".." + max);
    assertArrayEquals(nal, rebuilt.toByteArray());
  }

  @Test
  void smallNalUnitsAreAggregatedBehindTheirSizes() {
    List<byte[]> out = new ArrayList<>();
    H264.addAggregated(List.of(HEX.parseHex("6742c01e"), HEX.parseHex("68ce3c80")), out);
    assertEquals(
        List.of("78" + "0004" + "6742c01e" + "0004" + "68ce3c80"),
        out.stream().map(HEX::formatHex).toList());
    out.clear();
    H265.addAggregated(
        List.of(HEX.parseHex("400c01ff"), HEX.parseHex("42010101"), HEX.parseHex("4401c172")), out);
    assertEquals(
        List.of("6001" + "0004" + "400c01ff" + "0004" + "42010101" + "0004" + "4401c172"),
        out.stream().map(HEX::formatHex).toList());
  }

  @Test
  void aLoneNalUnitOrOnesTooLargeTogetherAreNotAggregated() {
    List<byte[]> out = new ArrayList<>();
    H264.addAggregated(List.of(HEX.parseHex("6742c01e")), out);
    assertEquals(List.of("6742c01e"), out.stream().map(HEX::formatHex).toList());
    out.clear();
    byte[] sps = nal("67", 50, 2);
    byte[] pps = nal("68", 47, 3); // 1 + 2 + 50 + 2 + 47 = 102 > 100
    H264.addAggregated(List.of(sps, pps), out);
    assertEquals(2, out.size());
    assertArrayEquals(sps, out.get(0));
    assertArrayEquals(pps, out.get(1));
  }

  @Test
  void anAccessUnitHasItsMarkerOnTheLastPayloadOnly() {
    List<RtpPayload> payloads =
        H264.accessUnit(
            List.of(HEX.parseHex("6742c01e"), HEX.parseHex("68ce3c80")),
            List.of(nal("65", 250, 4)));
    assertEquals(4, payloads.size(), "STAP-A and three FU-A");
    for (int i = 0; i < payloads.size(); i++) {
      assertEquals(i == payloads.size() - 1, payloads.get(i).marker(), "payload " + i);
    }
    assertEquals(List.of(), H264.accessUnit(List.of(), List.of()));
  }

  @Test
  void aPayloadLimitBelow100BytesIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new NalFragmenter(99, H264PayloadHeaders.INSTANCE));
  }
}
