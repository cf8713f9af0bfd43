package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte layout of moof + mdat. */
class FragmentTest {

  private static final Sample KEY =
      new Sample(new byte[] {(byte) 0xAA, (byte) 0xBB}, 3000, 0, true);
  private static final Sample B_FRAME = new Sample(new byte[] {(byte) 0xCC}, 3000, -3000, false);

  /** Every field written out by hand from ISO/IEC 14496-12 8.8. */
  @Test
  void oneRunIsByteForByteTheSpec() {
    byte[] fragment =
        Fragment.write(7, List.of(new TrackRun(1, 0x1_0000_0005L, List.of(KEY, B_FRAME))));
    String expected =
        ""
            + "00000078"
            + "6d6f6f66" // moof, 120 bytes
            + "00000010"
            + "6d666864"
            + "00000000"
            + "00000007" // mfhd: sequence_number 7
            + "00000060"
            + "74726166" // traf
            + "00000010"
            + "74666864"
            + "00020000"
            + "00000001" // tfhd: default-base-is-moof, track 1
            + "00000014"
            + "74666474"
            + "01000000"
            + "0000000100000005" // tfdt v1: 64-bit time
            + "00000034"
            + "7472756e"
            + "01000f01" // trun v1: offset, duration, size, flags, cto
            + "00000002"
            + "00000080" // 2 samples, data at moof + 128 (moof 120 + mdat header 8)
            + "00000bb8"
            + "00000002"
            + "02000000"
            + "00000000" // sync: depends_on 2
            + "00000bb8"
            + "00000001"
            + "01010000"
            + "fffff448" // non-sync, depends_on 1; cto -3000
            + "0000000b"
            + "6d646174"
            + "aabbcc"; // mdat
    assertEquals(expected, HexFormat.of().formatHex(fragment));
    assertEquals(
        fragment.length,
        Fragment.sizeOf(List.of(new TrackRun(1, 0x1_0000_0005L, List.of(KEY, B_FRAME)))));
  }

  @Test
  void runsWithoutCompositionOffsetsLeaveTheFieldOut() {
    Sample audio = new Sample(new byte[] {1, 2, 3}, 1024, 0, true);
    byte[] fragment = Fragment.write(1, List.of(new TrackRun(2, 0, List.of(audio, audio))));
    ByteBuffer trun = body(fragment, "moof/traf/trun");
    assertEquals(0x01000701, trun.getInt(0)); // version 1, no 0x800
    assertEquals(2, trun.getInt(4));
    assertEquals(12 + 2 * 12, trun.capacity()); // 12 bytes a sample
    assertEquals(1024, trun.getInt(12));
    assertEquals(3, trun.getInt(16));
    assertEquals(SampleFlags.SYNC, trun.getInt(20));
  }

  /** Each trun's data_offset points, from the start of the moof, at its own first sample. */
  @Test
  void dataOffsetsOfSeveralRunsPointIntoTheOneMdat() {
    List<TrackRun> runs =
        List.of(
            new TrackRun(
                1,
                90_000,
                List.of(sample(100, 1, true), sample(50, 2, false), sample(70, 3, false))),
            new TrackRun(2, 48_000, List.of(sample(30, 4, true), sample(31, 5, true))),
            new TrackRun(3, 8_000, List.of(sample(160, 6, true))));
    byte[] fragment = Fragment.write(42, runs);
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(fragment);
    assertEquals(List.of("moof", "mdat"), boxes.stream().map(Mp4Boxes.Box::type).toList());
    Mp4Boxes.Box moof = boxes.get(0);
    Mp4Boxes.Box mdat = boxes.get(1);
    assertEquals(100 + 50 + 70 + 30 + 31 + 160, mdat.payloadSize());
    List<Mp4Boxes.Box> trafs = moof.children("traf");
    assertEquals(3, trafs.size());
    for (int r = 0; r < runs.size(); r++) {
      Mp4Boxes.Box traf = trafs.get(r);
      ByteBuffer tfhd =
          ByteBuffer.wrap(Mp4Boxes.payload(fragment, traf.child("tfhd").orElseThrow()));
      assertEquals(runs.get(r).trackId(), tfhd.getInt(4));
      ByteBuffer tfdt =
          ByteBuffer.wrap(Mp4Boxes.payload(fragment, traf.child("tfdt").orElseThrow()));
      assertEquals(runs.get(r).baseMediaDecodeTime(), tfdt.getLong(4));
      ByteBuffer trun =
          ByteBuffer.wrap(Mp4Boxes.payload(fragment, traf.child("trun").orElseThrow()));
      int at = moof.offset() + trun.getInt(8);
      for (Sample sample : runs.get(r).samples()) {
        assertArrayEquals(
            sample.data(), Arrays.copyOfRange(fragment, at, at + sample.data().length));
        at += sample.data().length;
      }
    }
  }

  @Test
  void writesIntoACallersArrayAtAnOffset() {
    List<TrackRun> runs = List.of(new TrackRun(1, 0, List.of(KEY, B_FRAME)));
    byte[] alone = Fragment.write(3, runs);
    byte[] buffer = new byte[10 + alone.length + 5];
    Arrays.fill(buffer, (byte) 0x5A);
    assertEquals(alone.length, Fragment.write(3, runs, buffer, 10));
    assertArrayEquals(alone, Arrays.copyOfRange(buffer, 10, 10 + alone.length));
    assertEquals(0x5A, buffer[9]);
    assertEquals(0x5A, buffer[10 + alone.length]);
    assertThrows(
        IllegalArgumentException.class,
        () -> Fragment.write(3, runs, new byte[alone.length - 1], 0));
    assertThrows(
        IllegalArgumentException.class, () -> Fragment.write(3, runs, buffer, buffer.length - 4));
    assertThrows(IllegalArgumentException.class, () -> Fragment.write(3, runs, buffer, -1));
  }

  @Test
  void sizeOfIsTheWrittenLength() {
    List<Sample> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add(sample(i % 17, i, i % 30 == 0));
    }
    List<TrackRun> runs =
        List.of(new TrackRun(5, Long.MAX_VALUE / 2, many), new TrackRun(6, 0, many.subList(0, 7)));
    assertEquals(Fragment.sizeOf(runs), Fragment.write(1, runs).length);
  }

  @Test
  void emptySampleDataIsAllowed() {
    byte[] fragment =
        Fragment.write(
            1, List.of(new TrackRun(1, 0, List.of(new Sample(new byte[0], 1, 0, true)))));
    assertEquals(8, Mp4Boxes.parse(fragment).get(1).size());
  }

  @Test
  void rejectsWhatNoPlayerCouldRead() {
    TrackRun run = new TrackRun(1, 0, List.of(KEY));
    assertThrows(IllegalArgumentException.class, () -> Fragment.write(1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> Fragment.write(1, List.of(run, run)));
    assertThrows(NullPointerException.class, () -> Fragment.write(1, null));
    assertThrows(IllegalArgumentException.class, () -> new TrackRun(0, 0, List.of(KEY)));
    assertThrows(IllegalArgumentException.class, () -> new TrackRun(1, -1, List.of(KEY)));
    assertThrows(IllegalArgumentException.class, () -> new TrackRun(1, 0, List.of()));
    assertThrows(NullPointerException.class, () -> new TrackRun(1, 0, null));
  }

  /**
   * mfhd holds an unsigned 32-bit number: a long counter cast to int wraps exactly like the field.
   */
  @Test
  void sequenceNumberIsUnsigned32Bits() {
    long kafkaOffset = (1L << 32) + 0x8000_0005L;
    byte[] fragment = Fragment.write((int) kafkaOffset, List.of(new TrackRun(1, 0, List.of(KEY))));
    assertEquals(0x8000_0005L, ByteBuffer.wrap(fragment).getInt(20) & 0xFFFF_FFFFL);
  }

  @Test
  void trackRunSumsDurationsAndBytes() {
    TrackRun run = new TrackRun(1, 0, List.of(KEY, B_FRAME));
    assertEquals(6000, run.duration());
    assertEquals(3, run.dataSize());
  }

  private static Sample sample(int size, int fill, boolean sync) {
    byte[] data = new byte[size];
    Arrays.fill(data, (byte) fill);
    return new Sample(data, 3600, sync ? 0 : 3600, sync);
  }

  private static ByteBuffer body(byte[] data, String path) {
    return ByteBuffer.wrap(
        Mp4Boxes.payload(data, Mp4Boxes.find(Mp4Boxes.parse(data), path).orElseThrow()));
  }
}
