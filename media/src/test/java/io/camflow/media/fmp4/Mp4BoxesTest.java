package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mp4BoxesTest {

  /**
   * An ordinary (not fragmented) MP4 from ffmpeg: moov with sample tables, sample entry children.
   */
  @Test
  void walksAnFfmpegFile() {
    byte[] file = Fixtures.bytes("h264_bframes.mp4");
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(file);
    assertEquals(
        List.of("ftyp", "free", "mdat", "moov"), boxes.stream().map(Mp4Boxes.Box::type).toList());
    assertEquals(file.length, boxes.get(boxes.size() - 1).end());
    Mp4Boxes.Box stbl = Mp4Boxes.find(boxes, "moov/trak/mdia/minf/stbl").orElseThrow();
    assertEquals(
        List.of("stsd", "stts", "stss", "ctts", "stsc", "stsz", "stco"),
        stbl.children().stream().map(Mp4Boxes.Box::type).toList());
    Mp4Boxes.Box avcC = stbl.find("stsd/avc1/avcC").orElseThrow();
    assertEquals(1, file[avcC.payloadOffset()]); // configurationVersion
    assertTrue(Mp4Boxes.find(boxes, "moov/trak/mdia/minf/stbl/stsd/hvc1").isEmpty());
    assertTrue(Mp4Boxes.find(boxes, "nope").isEmpty());
    assertEquals(1, Mp4Boxes.findAll(boxes, "moov/trak").size());
  }

  @Test
  void walksAnFfmpegAudioFile() {
    byte[] file = Fixtures.bytes("aac_48k_mono.m4a");
    Mp4Boxes.Box esds =
        Mp4Boxes.find(Mp4Boxes.parse(file), "moov/trak/mdia/minf/stbl/stsd/mp4a/esds")
            .orElseThrow();
    assertArrayEquals(
        HexFormat.of().parseHex("118856e500"),
        Fixtures.decoderSpecificInfo(Mp4Boxes.payload(file, esds)));
  }

  @Test
  void headerFieldsOfABox() {
    byte[] data = HexFormat.of().parseHex("0000000c" + "66726565" + "01020304");
    Mp4Boxes.Box box = Mp4Boxes.parse(data).get(0);
    assertEquals("free", box.type());
    assertEquals(0, box.offset());
    assertEquals(12, box.size());
    assertEquals(8, box.headerSize());
    assertEquals(8, box.payloadOffset());
    assertEquals(4, box.payloadSize());
    assertEquals(12, box.end());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, Mp4Boxes.payload(data, box));
    assertEquals("free @0 size 12\n", Mp4Boxes.dump(List.of(box)));
  }

  @Test
  void largesizeAndSizeZero() {
    ByteBuffer data = ByteBuffer.allocate(16 + 2 + 8 + 3);
    data.putInt(1).put("mdat".getBytes()).putLong(18).put(new byte[2]); // 64-bit size
    data.putInt(0).put("mdat".getBytes()).put(new byte[3]); // size 0: to the end
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(data.array());
    assertEquals(16, boxes.get(0).headerSize());
    assertEquals(18, boxes.get(0).size());
    assertEquals(2, boxes.get(0).payloadSize());
    assertEquals(11, boxes.get(1).size());
  }

  @Test
  void parsesARangeAndNestedContainers() {
    byte[] fragment =
        Fragment.write(
            1, List.of(new TrackRun(1, 0, List.of(new Sample(new byte[] {9}, 1, 0, true)))));
    byte[] padded = new byte[fragment.length + 6];
    System.arraycopy(fragment, 0, padded, 3, fragment.length);
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(padded, 3, fragment.length);
    assertEquals(3, boxes.get(0).offset());
    assertEquals(
        "moof\n  mfhd\n  traf\n    tfhd\n    tfdt\n    trun\nmdat\n",
        Mp4Boxes.dump(boxes).replaceAll(" @\\d+ size \\d+", ""));
  }

  @Test
  void malformedDataIsAnIllegalArgument() {
    HexFormat hex = HexFormat.of();
    assertThrows(IllegalArgumentException.class, () -> Mp4Boxes.parse(hex.parseHex("000000")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Mp4Boxes.parse(hex.parseHex("00000010" + "66726565"))); // too long
    assertThrows(
        IllegalArgumentException.class,
        () -> Mp4Boxes.parse(hex.parseHex("00000004" + "66726565"))); // < header
    assertThrows(
        IllegalArgumentException.class,
        () -> Mp4Boxes.parse(hex.parseHex("00000001" + "6d646174" + "0000"))); // cut largesize
    assertThrows(
        IllegalArgumentException.class, // largesize too big for an array
        () -> Mp4Boxes.parse(hex.parseHex("00000001" + "6d646174" + "ffffffff00000000")));
    assertThrows(
        IllegalArgumentException.class, // child runs past its parent
        () -> Mp4Boxes.parse(hex.parseHex("00000010" + "6d6f6f76" + "00000009" + "66726565")));
    assertThrows(
        IllegalArgumentException.class, // avc1 shorter than its fields
        () -> Mp4Boxes.parse(hex.parseHex("0000000c" + "61766331" + "00000000")));
    assertThrows(IndexOutOfBoundsException.class, () -> Mp4Boxes.parse(new byte[4], 2, 4));
  }

  @Test
  void deepNestingIsRefused() {
    int depth = 40;
    ByteBuffer data = ByteBuffer.allocate(8 * depth);
    for (int i = 0; i < depth; i++) {
      data.putInt(8 * (depth - i)).put("moov".getBytes());
    }
    assertThrows(IllegalArgumentException.class, () -> Mp4Boxes.parse(data.array()));
  }
}
