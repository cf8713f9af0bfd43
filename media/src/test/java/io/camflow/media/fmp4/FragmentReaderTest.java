package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.media.fmp4.FragmentReader.SampleRef;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Samples read back from what {@link Fragment} writes, from hand-built boxes for the fields it
 * never writes (tfhd defaults, explicit base offsets, trun version 0, several truns), from FFmpeg's
 * fragmented MP4, and from broken input.
 */
class FragmentReaderTest {

  private static final int TFHD_BASE_DATA_OFFSET = 0x1;
  private static final int TFHD_SAMPLE_DESCRIPTION_INDEX = 0x2;
  private static final int TFHD_DEFAULT_DURATION = 0x8;
  private static final int TFHD_DEFAULT_SIZE = 0x10;
  private static final int TFHD_DEFAULT_FLAGS = 0x20;
  private static final int TRUN_FIRST_SAMPLE_FLAGS = 0x4;

  @TempDir Path dir;

  // --- round trips through Fragment.write ---

  @Test
  void singleTrackRoundTrip() {
    List<TrackRun> runs = List.of(new TrackRun(1, 90_000, videoSamples(new Random(1), 10)));
    byte[] fragment = Fragment.write(1, runs);
    assertReadsBack(fragment, FragmentReader.read(fragment), List.of(runs));
  }

  @Test
  void videoWithCompositionOffsetsAndAudio() {
    Random random = new Random(2);
    List<TrackRun> runs =
        List.of(
            new TrackRun(1, 0x1_0000_0000L, videoSamples(random, 12)),
            new TrackRun(2, 48_000, audioSamples(random, 9)));
    byte[] fragment = Fragment.write(7, runs);
    List<SampleRef> refs = FragmentReader.read(fragment);
    assertReadsBack(fragment, refs, List.of(runs));
    assertTrue(refs.stream().anyMatch(r -> r.compositionOffset() < 0));
    assertTrue(refs.stream().anyMatch(r -> !r.sync()));
  }

  @Test
  void manySamples() {
    Random random = new Random(3);
    List<TrackRun> runs =
        List.of(
            new TrackRun(1, 5, videoSamples(random, 3000)),
            new TrackRun(2, 7, audioSamples(random, 2000)));
    byte[] fragment = Fragment.write(1, runs);
    assertReadsBack(fragment, FragmentReader.read(fragment), List.of(runs));
  }

  /** A recorded CMAF segment: one moof + mdat per access unit, with the boxes around them. */
  @Test
  void concatenatedFragmentsWithBoxesInBetween() {
    List<List<TrackRun>> fragments = accessUnitFragments(new Random(4), 30);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(box("styp", ascii("msdh"), u32(0), ascii("msdhmsixcmfs")));
    out.writeBytes(fullBox("sidx", 1, 0, new byte[24]));
    for (int f = 0; f < fragments.size(); f++) {
      if (f % 5 == 0) {
        out.writeBytes(fullBox("prft", 1, 0, new byte[20]));
        out.writeBytes(fullBox("emsg", 0, 0, ascii("urn:x\0\0"), new byte[16]));
      }
      out.writeBytes(Fragment.write(f + 1, fragments.get(f)));
      if (f % 7 == 3) {
        out.writeBytes(box("free", new byte[f]));
      }
    }
    byte[] segment = out.toByteArray();
    assertReadsBack(segment, FragmentReader.read(segment), fragments);
  }

  @Test
  void initSegmentAndFragments() {
    List<List<TrackRun>> fragments = accessUnitFragments(new Random(5), 5);
    byte[] file =
        concat(
            InitSegment.write(List.of(InitSegmentTest.h264Track(1), InitSegmentTest.aacTrack(2))),
            concatFragments(fragments));
    assertReadsBack(file, FragmentReader.read(file), fragments);
  }

  /** Offsets index the whole array; the range is the file. */
  @Test
  void rangeOfALargerArray() {
    List<List<TrackRun>> fragments = accessUnitFragments(new Random(6), 4);
    byte[] segment = concatFragments(fragments);
    byte[] padded = concat(new byte[] {1, 2, 3, 4, 5, 6, 7}, segment, new byte[] {9, 9, 9});
    List<SampleRef> refs = FragmentReader.read(padded, 7, segment.length);
    assertReadsBack(padded, refs, fragments);
    List<SampleRef> alone = FragmentReader.read(segment);
    for (int i = 0; i < refs.size(); i++) {
      assertEquals(alone.get(i).dataOffset() + 7, refs.get(i).dataOffset());
    }
  }

  @Test
  void nothingToRead() {
    assertEquals(List.of(), FragmentReader.read(new byte[0]));
    assertEquals(
        List.of(), FragmentReader.read(InitSegment.write(List.of(InitSegmentTest.h264Track(1)))));
    assertEquals(List.of(), FragmentReader.read(box("free", new byte[3])));
  }

  // --- hand-built fields ---

  /** Everything from the tfhd; first-sample-flags makes the first sample sync; tfdt version 0. */
  @Test
  void tfhdDefaultsAndFirstSampleFlags() {
    int tfhdFlags =
        Fragment.TFHD_DEFAULT_BASE_IS_MOOF
            | TFHD_SAMPLE_DESCRIPTION_INDEX
            | TFHD_DEFAULT_DURATION
            | TFHD_DEFAULT_SIZE
            | TFHD_DEFAULT_FLAGS;
    byte[] data =
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, tfhdFlags, u32(3, 1, 1024, 3, SampleFlags.NON_SYNC)),
                        tfdt0(0xFFFF_FFF0L),
                        fullBox(
                            "trun",
                            0,
                            Fragment.TRUN_DATA_OFFSET | TRUN_FIRST_SAMPLE_FLAGS,
                            u32(3, at, SampleFlags.SYNC)))),
            bytes(1, 2, 3, 4, 5, 6, 7, 8, 9));
    List<SampleRef> refs = FragmentReader.read(data);
    int payload = data.length - 9;
    assertEquals(
        List.of(
            new SampleRef(3, 0xFFFF_FFF0L, 1024, 3, SampleFlags.SYNC, 0, payload),
            new SampleRef(3, 0xFFFF_FFF0L + 1024, 1024, 3, SampleFlags.NON_SYNC, 0, payload + 3),
            new SampleRef(3, 0xFFFF_FFF0L + 2048, 1024, 3, SampleFlags.NON_SYNC, 0, payload + 6)),
        refs);
    assertEquals(List.of(true, false, false), refs.stream().map(SampleRef::sync).toList());
  }

  /** Per-sample values win over the tfhd defaults; absent flags everywhere mean sync. */
  @Test
  void trunValuesOverrideDefaults() {
    int trunFlags =
        Fragment.TRUN_DATA_OFFSET | Fragment.TRUN_SAMPLE_SIZE | Fragment.TRUN_SAMPLE_FLAGS;
    byte[] data =
        fragment(
            at ->
                moof(
                    traf(
                        fullBox(
                            "tfhd", 0, TFHD_DEFAULT_DURATION | TFHD_DEFAULT_SIZE, u32(1, 10, 99)),
                        tfdt1(0),
                        fullBox("trun", 0, trunFlags, u32(2, at, 1, SampleFlags.NON_SYNC, 2, 0))),
                    traf(
                        fullBox("tfhd", 0, TFHD_DEFAULT_DURATION, u32(2, 20)),
                        tfdt1(0),
                        fullBox(
                            "trun",
                            0,
                            Fragment.TRUN_DATA_OFFSET | Fragment.TRUN_SAMPLE_SIZE,
                            u32(1, at + 3, 4)))),
            bytes(1, 2, 3, 4, 5, 6, 7));
    List<SampleRef> refs = FragmentReader.read(data);
    int payload = data.length - 7;
    assertEquals(
        List.of(
            new SampleRef(1, 0, 10, 1, SampleFlags.NON_SYNC, 0, payload),
            new SampleRef(1, 10, 10, 2, 0, 0, payload + 1),
            new SampleRef(2, 0, 20, 4, 0, 0, payload + 3)),
        refs);
    assertTrue(refs.get(2).sync());
  }

  /**
   * What FFmpeg writes without default_base_moof: an absolute base, counted from the start of the
   * range read, and no trun data offset.
   */
  @Test
  void explicitBaseDataOffset() {
    byte[] prefix = box("styp", ascii("cmfs"));
    IntFunction<byte[]> moof =
        at ->
            moof(
                traf(
                    fullBox("tfhd", 0, TFHD_BASE_DATA_OFFSET, u32(1), u64(prefix.length + at)),
                    tfdt1(100),
                    fullBox(
                        "trun",
                        0,
                        Fragment.TRUN_SAMPLE_DURATION | Fragment.TRUN_SAMPLE_SIZE,
                        u32(2, 50, 2, 60, 1))));
    byte[] file = concat(prefix, fragment(moof, bytes(7, 8, 9)));
    byte[] padded = concat(box("free"), file);

    List<SampleRef> refs = FragmentReader.read(padded, 8, file.length);
    int payload = padded.length - 3;
    assertEquals(
        List.of(
            new SampleRef(1, 100, 50, 2, 0, 0, payload),
            new SampleRef(1, 150, 60, 1, 0, 0, payload + 2)),
        refs);
    assertThrows(IllegalArgumentException.class, () -> FragmentReader.read(padded));
  }

  /** Neither base-data-offset-present nor default-base-is-moof: offsets count from the moof. */
  @Test
  void noBaseFlagCountsFromTheMoof() {
    byte[] styp = box("styp", ascii("cmfs"));
    byte[] data =
        concat(
            styp,
            fragment(
                at ->
                    moof(
                        traf(
                            fullBox("tfhd", 0, TFHD_DEFAULT_DURATION, u32(1, 3000)),
                            tfdt1(0),
                            fullBox(
                                "trun",
                                1,
                                Fragment.TRUN_DATA_OFFSET | Fragment.TRUN_SAMPLE_SIZE,
                                u32(1, at, 2)))),
                bytes(4, 5)));
    List<SampleRef> refs = FragmentReader.read(data);
    assertEquals(List.of(new SampleRef(1, 0, 3000, 2, 0, 0, data.length - 2)), refs);
  }

  @Test
  void trunVersion0CompositionOffsetsAreUnsigned() {
    assertEquals(3000, readCompositionOffset(0, 3000));
    assertEquals(-3000, readCompositionOffset(1, -3000));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> readCompositionOffset(0, -3000));
    assertTrue(e.getMessage().contains("version 1"), e.getMessage());
  }

  /** The second trun continues both the decode time and the data; a third points back. */
  @Test
  void severalTrunsInOneTraf() {
    int sizes = Fragment.TRUN_SAMPLE_SIZE;
    byte[] data =
        fragment(
            at ->
                moof(
                    traf(
                        fullBox(
                            "tfhd",
                            0,
                            Fragment.TFHD_DEFAULT_BASE_IS_MOOF | TFHD_DEFAULT_DURATION,
                            u32(1, 10)),
                        tfdt1(1000),
                        fullBox("trun", 0, Fragment.TRUN_DATA_OFFSET | sizes, u32(2, at, 1, 2)),
                        fullBox("trun", 0, sizes, u32(1, 3)),
                        fullBox("trun", 0, Fragment.TRUN_DATA_OFFSET | sizes, u32(1, at, 6)))),
            bytes(1, 2, 2, 3, 3, 3));
    List<SampleRef> refs = FragmentReader.read(data);
    int payload = data.length - 6;
    assertEquals(
        List.of(
            new SampleRef(1, 1000, 10, 1, 0, 0, payload),
            new SampleRef(1, 1010, 10, 2, 0, 0, payload + 1),
            new SampleRef(1, 1020, 10, 3, 0, 0, payload + 3),
            new SampleRef(1, 1030, 10, 6, 0, 0, payload)),
        refs);
  }

  @Test
  void sixtyFourBitBoxSizes() {
    byte[] traf =
        traf(
            fullBox("tfhd", 0, Fragment.TFHD_DEFAULT_BASE_IS_MOOF, u32(1)),
            tfdt1(0),
            fullBox("trun", 1, Fragment.TRUN_DATA_OFFSET | 0x700, u32(1, 0, 5, 2, 0)));
    int moofSize = 16 + traf.length;
    byte[] data =
        concat(
            largeBox("moof", patchDataOffset(traf, moofSize + 16)), largeBox("mdat", bytes(6, 7)));
    assertEquals(
        List.of(new SampleRef(1, 0, 5, 2, 0, 0, data.length - 2)), FragmentReader.read(data));
  }

  // --- FFmpeg as an independent writer ---

  /**
   * FFmpeg's fragmented MP4 of video with B-frames and AAC: tfhd defaults, sample description
   * index, first-sample-flags, trun versions 0 and 1, explicit and moof-relative bases. Every
   * sample where, as big and as flagged as ffprobe says, with the same bytes and times.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "frag_keyframe+empty_moov",
        "frag_keyframe+empty_moov+default_base_moof",
        "cmaf+frag_keyframe+empty_moov+delay_moov",
        "frag_every_frame+empty_moov+default_base_moof"
      })
  void readsWhatFfmpegFragments(String movflags) throws Exception {
    Path file = dir.resolve("fragmented.mp4");
    Ffmpeg.Result result =
        Ffmpeg.run(
            List.of(
                Ffmpeg.FFMPEG.toString(),
                "-nostdin",
                "-v",
                "error",
                "-i",
                Fixtures.path("h264_bframes.mp4").toString(),
                "-i",
                Fixtures.path("aac_48k_mono.m4a").toString(),
                "-map",
                "0",
                "-map",
                "1",
                "-c",
                "copy",
                "-movflags",
                movflags,
                "-f",
                "mp4",
                file.toString()));
    assertEquals(0, result.exitCode(), result.stderr());
    byte[] data = Files.readAllBytes(file);
    List<SampleRef> refs = FragmentReader.read(data);
    Ffmpeg.Probe probe = Ffmpeg.probeContainerOnly(file);
    assertEquals(2, probe.streams().size());
    for (int stream = 0; stream < 2; stream++) {
      int trackId = stream + 1;
      assertMatchesFfprobe(
          data,
          refs.stream().filter(r -> r.trackId() == trackId).toList(),
          probe.packetsOf(stream));
    }
  }

  // --- malformed ---

  /** Cut anywhere: an error, or at a fragment boundary the fragments before it. */
  @Test
  void truncatedAtEveryByte() {
    List<List<TrackRun>> fragments = accessUnitFragments(new Random(7), 2);
    byte[] first = Fragment.write(1, fragments.get(0));
    byte[] input = concatFragments(fragments);
    List<SampleRef> all = FragmentReader.read(input);
    Set<Integer> accepted = new TreeSet<>();
    for (int n = 0; n <= input.length; n++) {
      for (byte[] data : List.of(input, Arrays.copyOf(input, n))) {
        try {
          List<SampleRef> refs = FragmentReader.read(data, 0, n);
          assertEquals(all.subList(0, refs.size()), refs, "cut at " + n);
          accepted.add(n);
        } catch (IllegalArgumentException expected) {
          assertFalse(expected.getMessage().isBlank());
        } catch (RuntimeException e) {
          fail("cut at " + n + ": " + e, e);
        }
      }
    }
    assertEquals(Set.of(0, first.length, input.length), accepted);
    assertEquals(
        FragmentReader.read(first).size(), FragmentReader.read(input, 0, first.length).size());
  }

  @Test
  void samplePastItsMdat() {
    assertRejected(
        "outside the mdat",
        fragment(at -> simpleMoof(u32(2, at, 10, 3, 10, 3)), bytes(1, 2, 3, 4, 5)));
    assertRejected("outside the mdat", fragment(at -> simpleMoof(u32(1, at - 1, 10, 1)), bytes(1)));
    assertRejected("outside the mdat", fragment(at -> simpleMoof(u32(1, -8, 10, 1)), bytes(1)));
    // into the next fragment's boxes: still past its own mdat
    byte[] greedy = fragment(at -> simpleMoof(u32(1, at, 10, 2)), bytes(1));
    assertRejected("outside the mdat", concat(greedy, box("free", new byte[8])));
  }

  @Test
  void missingTfdt() {
    byte[] data =
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, Fragment.TFHD_DEFAULT_BASE_IS_MOOF, u32(1)),
                        fullBox("trun", 0, Fragment.TRUN_DATA_OFFSET | 0x300, u32(1, at, 1, 1)))),
            bytes(1));
    assertRejected("no tfdt", data);
  }

  @Test
  void missingTfhd() {
    byte[] data =
        fragment(at -> moof(traf(tfdt1(0), fullBox("trun", 0, 0x301, u32(1, at, 1, 1)))), bytes(1));
    assertRejected("no tfhd", data);
  }

  @Test
  void missingDurationOrSize() {
    assertRejected(
        "no sample duration",
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, Fragment.TFHD_DEFAULT_BASE_IS_MOOF, u32(1)),
                        tfdt1(0),
                        fullBox("trun", 0, Fragment.TRUN_DATA_OFFSET | 0x200, u32(1, at, 1)))),
            bytes(1)));
    assertRejected(
        "no sample size",
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, TFHD_DEFAULT_DURATION, u32(1, 10)),
                        tfdt1(0),
                        fullBox("trun", 0, Fragment.TRUN_DATA_OFFSET, u32(1, at)))),
            bytes(1)));
  }

  @Test
  void moofWithoutMdat() {
    byte[] fragment = fragment(at -> simpleMoof(u32(1, at, 10, 1)), bytes(1));
    byte[] moofOnly = Arrays.copyOf(fragment, fragment.length - 9);
    assertRejected("not followed by an mdat", moofOnly);
    assertRejected("not followed by an mdat", concat(moofOnly, fragment));
  }

  /** Counts that would make billions of samples: refused before any is made. */
  @Test
  void absurdSampleCounts() {
    assertRejected("holds", fragment(at -> simpleMoof(u32(0xFFFF_FFFFL, at, 10, 1)), bytes(1)));
    byte[] zeroSizeDefaults =
        fragment(
            at ->
                moof(
                    traf(
                        fullBox(
                            "tfhd", 0, TFHD_DEFAULT_DURATION | TFHD_DEFAULT_SIZE, u32(1, 10, 0)),
                        tfdt1(0),
                        fullBox("trun", 0, Fragment.TRUN_DATA_OFFSET, u32(0xFFFF_FFFFL, at)))),
            new byte[0]);
    assertRejected("more than the", zeroSizeDefaults);
    byte[] oneByteDefaults =
        fragment(
            at ->
                moof(
                    traf(
                        fullBox(
                            "tfhd", 0, TFHD_DEFAULT_DURATION | TFHD_DEFAULT_SIZE, u32(1, 10, 1)),
                        tfdt1(0),
                        fullBox("trun", 0, Fragment.TRUN_DATA_OFFSET, u32(100, at)))),
            new byte[50]);
    assertRejected("outside the mdat", oneByteDefaults);
  }

  @Test
  void fieldsBeyondTheirBox() {
    assertRejected(
        "too short",
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, TFHD_DEFAULT_DURATION | TFHD_DEFAULT_SIZE, u32(1, 10)),
                        tfdt1(0),
                        fullBox("trun", 0, Fragment.TRUN_DATA_OFFSET, u32(1, at)))),
            bytes(1)));
    assertRejected(
        "too short",
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, 0, u32(1)),
                        fullBox("tfdt", 1, 0, u32(0)),
                        fullBox("trun", 0, 0x301, u32(1, at, 1, 1)))),
            bytes(1)));
    assertRejected("too short", fragment(at -> simpleMoof(new byte[0]), bytes(1)));
  }

  @Test
  void fieldValuesNoSampleCanHave() {
    assertRejected(
        "base_data_offset",
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, TFHD_BASE_DATA_OFFSET, u32(1), u64(-1)),
                        tfdt1(0),
                        fullBox("trun", 0, 0x300, u32(1, 1, 1)))),
            bytes(1)));
    assertRejected(
        "track_ID 0",
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, 0, u32(0)),
                        tfdt1(0),
                        fullBox("trun", 0, 0x301, u32(1, at, 1, 1)))),
            bytes(1)));
    assertRejected("duration", fragment(at -> simpleMoof(u32(1, at, 0x8000_0000L, 1)), bytes(1)));
    assertRejected(
        "unknown version",
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, 0, u32(1)),
                        fullBox("tfdt", 2, 0, u64(0)),
                        fullBox("trun", 0, 0x301, u32(1, at, 1, 1)))),
            bytes(1)));
    assertRejected(
        "beyond 2^63",
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, 0, u32(1)),
                        fullBox("tfdt", 1, 0, u64(-1)),
                        fullBox("trun", 0, 0x301, u32(1, at, 1, 1)))),
            bytes(1)));
    assertRejected(
        "passes 2^63",
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, 0, u32(1)),
                        tfdt1(Long.MAX_VALUE - 5),
                        fullBox("trun", 0, 0x301, u32(1, at, 10, 1)))),
            bytes(1)));
  }

  @Test
  void brokenBoxesAndBadArguments() {
    assertRejected("truncated box header", bytes(0, 0, 0));
    assertRejected(
        "has size", concat(box("moof", new byte[0]), bytes(0, 0, 0, 99, 'm', 'd', 'a', 't')));
    assertThrows(NullPointerException.class, () -> FragmentReader.read(null));
    assertThrows(NullPointerException.class, () -> FragmentReader.read(null, 0, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> FragmentReader.read(new byte[4], 2, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> FragmentReader.read(new byte[4], -1, 1));
  }

  // --- checking ---

  /** The samples of these fragments' runs, in order, each at its bytes. */
  private static void assertReadsBack(
      byte[] data, List<SampleRef> refs, List<List<TrackRun>> fragments) {
    int i = 0;
    for (List<TrackRun> runs : fragments) {
      for (TrackRun run : runs) {
        long time = run.baseMediaDecodeTime();
        for (Sample sample : run.samples()) {
          SampleRef ref = refs.get(i);
          String at = "sample " + i + " " + ref;
          long expectedTime = time;
          assertAll(
              at,
              () -> assertEquals(run.trackId(), ref.trackId(), "track"),
              () -> assertEquals(expectedTime, ref.decodeTime(), "dts"),
              () -> assertEquals(sample.duration(), ref.duration(), "duration"),
              () -> assertEquals(sample.data().length, ref.size(), "size"),
              () -> assertEquals(sample.flags(), ref.flags(), "flags"),
              () -> assertEquals(sample.sync(), ref.sync(), "sync"),
              () -> assertEquals(sample.compositionOffset(), ref.compositionOffset(), "cto"),
              () ->
                  assertArrayEquals(
                      sample.data(),
                      Arrays.copyOfRange(data, ref.dataOffset(), ref.dataOffset() + ref.size()),
                      "bytes"));
          time += sample.duration();
          i++;
        }
      }
    }
    assertEquals(i, refs.size(), "sample count");
  }

  private static void assertMatchesFfprobe(
      byte[] data, List<SampleRef> refs, List<Ffmpeg.Packet> packets) {
    assertEquals(packets.size(), refs.size(), "sample count");
    SampleRef first = refs.get(0);
    for (int i = 0; i < refs.size(); i++) {
      SampleRef ref = refs.get(i);
      Ffmpeg.Packet packet = packets.get(i);
      String at = "track " + ref.trackId() + " sample " + i;
      // FFmpeg shifts times by its edit list / dts_shift; differences are the container's own.
      assertAll(
          at,
          () -> assertEquals(packet.pos(), ref.dataOffset(), "position"),
          () -> assertEquals(packet.size(), ref.size(), "size"),
          () -> assertEquals(packet.keyframe(), ref.sync(), "sync"),
          () ->
              assertEquals(
                  packet.dts() - packets.get(0).dts(),
                  ref.decodeTime() - first.decodeTime(),
                  "dts"),
          () ->
              assertEquals(
                  packet.pts() - packets.get(0).pts(),
                  ref.decodeTime()
                      + ref.compositionOffset()
                      - first.decodeTime()
                      - first.compositionOffset(),
                  "pts"),
          () ->
              assertEquals(
                  packet.dataHash(), "MD5:" + md5(data, ref.dataOffset(), ref.size()), "bytes"));
    }
  }

  private static void assertRejected(String messagePart, byte[] data) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FragmentReader.read(data));
    assertTrue(
        e.getMessage().contains(messagePart),
        () -> "expected '" + messagePart + "' in: " + e.getMessage());
  }

  private static int readCompositionOffset(int trunVersion, int offset) {
    byte[] data =
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, Fragment.TFHD_DEFAULT_BASE_IS_MOOF, u32(1)),
                        tfdt1(0),
                        fullBox(
                            "trun",
                            trunVersion,
                            Fragment.TRUN_DATA_OFFSET | 0xB00,
                            u32(1, at, 10, 1, offset)))),
            bytes(1));
    return FragmentReader.read(data).get(0).compositionOffset();
  }

  private static String md5(byte[] data, int offset, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("MD5");
      digest.update(data, offset, length);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- inputs, shared with FragmentReaderFuzzTest ---

  /** Video samples with B-frame composition offsets, a keyframe every 10, sizes 0 to 299. */
  static List<Sample> videoSamples(Random random, int count) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[random.nextInt(300)];
      random.nextBytes(data);
      int compositionOffset = i % 3 == 0 ? 7200 : -3600;
      samples.add(new Sample(data, 3600, compositionOffset, i % 10 == 0));
    }
    return samples;
  }

  static List<Sample> audioSamples(Random random, int count) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[1 + random.nextInt(40)];
      random.nextBytes(data);
      samples.add(new Sample(data, 1024, 0, true));
    }
    return samples;
  }

  /**
   * A recording's fragments: one video access unit each, with the audio frame that falls into it in
   * every other one.
   */
  static List<List<TrackRun>> accessUnitFragments(Random random, int count) {
    List<Sample> video = videoSamples(random, count);
    List<Sample> audio = audioSamples(random, count);
    List<List<TrackRun>> fragments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TrackRun videoRun = new TrackRun(1, 1_000_000L + i * 3600L, List.of(video.get(i)));
      fragments.add(
          i % 2 == 0
              ? List.of(videoRun, new TrackRun(2, 40_000L + i * 1024L, List.of(audio.get(i))))
              : List.of(videoRun));
    }
    return fragments;
  }

  static byte[] concatFragments(List<List<TrackRun>> fragments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int f = 0; f < fragments.size(); f++) {
      out.writeBytes(Fragment.write(f + 1, fragments.get(f)));
    }
    return out.toByteArray();
  }

  /**
   * A moof and an mdat of this payload; {@code moofWithDataAt} makes the moof given the payload's
   * offset from the moof's start (its size does not depend on it).
   */
  static byte[] fragment(IntFunction<byte[]> moofWithDataAt, byte[] payload) {
    int moofSize = moofWithDataAt.apply(0).length;
    return concat(moofWithDataAt.apply(moofSize + 8), box("mdat", payload));
  }

  /** One track, moof-relative, tfdt 0; a trun of flags 0x301: data offset, durations, sizes. */
  static byte[] simpleMoof(byte[] trunFields) {
    return moof(
        traf(
            fullBox("tfhd", 0, Fragment.TFHD_DEFAULT_BASE_IS_MOOF, u32(1)),
            tfdt1(0),
            fullBox("trun", 0, Fragment.TRUN_DATA_OFFSET | 0x300, trunFields)));
  }

  static byte[] moof(byte[]... trafs) {
    return box("moof", concat(fullBox("mfhd", 0, 0, u32(1)), concat(trafs)));
  }

  static byte[] traf(byte[]... boxes) {
    return box("traf", boxes);
  }

  static byte[] tfdt0(long time) {
    return fullBox("tfdt", 0, 0, u32(time));
  }

  static byte[] tfdt1(long time) {
    return fullBox("tfdt", 1, 0, u64(time));
  }

  static byte[] fullBox(String type, int version, int flags, byte[]... fields) {
    return box(type, concat(u32(((long) version << 24) | flags), concat(fields)));
  }

  static byte[] box(String type, byte[]... parts) {
    byte[] payload = concat(parts);
    return ByteBuffer.allocate(8 + payload.length)
        .putInt(8 + payload.length)
        .put(ascii(type))
        .put(payload)
        .array();
  }

  /** A box with a 64-bit size. */
  static byte[] largeBox(String type, byte[] payload) {
    return ByteBuffer.allocate(16 + payload.length)
        .putInt(1)
        .put(ascii(type))
        .putLong(16 + payload.length)
        .put(payload)
        .array();
  }

  /** The trun data_offset of a traf whose trun has one: tfhd 16, tfdt 20, then the trun's 8th. */
  private static byte[] patchDataOffset(byte[] traf, int dataOffset) {
    byte[] copy = traf.clone();
    ByteBuffer.wrap(copy).putInt(8 + 16 + 20 + 16, dataOffset);
    return copy;
  }

  static byte[] u32(long... values) {
    ByteBuffer out = ByteBuffer.allocate(4 * values.length);
    for (long value : values) {
      out.putInt((int) value);
    }
    return out.array();
  }

  static byte[] u64(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
