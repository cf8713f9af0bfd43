package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end against independent readers: access units as Kafka carries them go through {@link
 * Sample}, {@link InitSegment} and {@link Fragment} into a file, and FFmpeg's MP4 demuxer and
 * decoders must find every sample where it belongs: same count, pts, dts, duration, size, keyframe
 * flag and bytes (MD5) as the ffmpeg-made source, every frame decodable.
 */
class FfprobeVerifiesFragmentsTest {

  /** 2^32 / 90 kHz is 13.3 h; 55 h puts every video time above 32 bits (tfdt version 1). */
  private static final long BASE_SECONDS = 200_000;

  @TempDir Path dir;

  /** How the packager cuts samples into fragments. */
  enum Cut {
    /** The WebSocket/MSE case: every sample its own fragment. */
    ONE_PER_FRAGMENT,
    /** GOP-aligned: a fragment starts at every sync sample (HLS segments). */
    AT_KEYFRAMES,
    /** LL-HLS parts: four samples, keyframe or not (parts may start with a non-sync sample). */
    FOUR_PER_FRAGMENT
  }

  static List<Arguments> videoCases() {
    List<Arguments> cases = new ArrayList<>();
    for (Cut cut : Cut.values()) {
      cases.add(Arguments.of("h264_bframes.mp4", Codec.H264, "h264", "avc1", cut));
      cases.add(Arguments.of("h265_bframes.mp4", Codec.H265, "hevc", "hvc1", cut));
      cases.add(Arguments.of("h264_baseline.mp4", Codec.H264, "h264", "avc1", cut));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} {4}")
  @MethodSource("videoCases")
  void videoSamplesComeOutAsTheyWentIn(
      String fixture, Codec codec, String codecName, String tag, Cut cut) {
    Fixtures.Track track = Fixtures.video(fixture, codec, 1, BASE_SECONDS);
    List<Sample> samples = Fixtures.samples(track.accessUnits());
    Path file = write(List.of(track.format()), List.of(new Planned(track, samples)), cut);

    Ffmpeg.Probe probe = Ffmpeg.probe(file, true);
    assertEquals(1, probe.streams().size());
    Ffmpeg.Stream stream = probe.streams().get(0);
    Ffmpeg.Stream source = Ffmpeg.probe(Fixtures.path(fixture), false).streams().get(0);
    assertAll(
        () -> assertEquals(codecName, stream.codecName()),
        () -> assertEquals(tag, stream.codecTag()),
        () -> assertEquals(source.profile(), stream.profile()),
        () -> assertEquals(source.width(), stream.width()),
        () -> assertEquals(source.height(), stream.height()),
        () -> assertEquals(track.format().width(), stream.width()),
        () -> assertEquals(track.format().height(), stream.height()),
        () -> assertEquals("1/90000", stream.timeBase()),
        () -> assertEquals(samples.size(), stream.readFrames(), "frames decoded"));
    assertSamples(file, probe, 0, track, samples);
    Ffmpeg.assertDecodesWithoutError(file);
  }

  @ParameterizedTest(name = "{0} samples per fragment")
  @ValueSource(ints = {1, 10})
  void aacFramesComeOutAsTheyWentIn(int perFragment) {
    Fixtures.Track track = Fixtures.aac("aac_48k_mono.m4a", 1, BASE_SECONDS);
    List<Sample> samples = Fixtures.samples(track.accessUnits());
    Path file = write(List.of(track.format()), List.of(new Planned(track, samples)), perFragment);

    Ffmpeg.Probe probe = Ffmpeg.probe(file, true);
    Ffmpeg.Stream stream = probe.streams().get(0);
    assertAll(
        () -> assertEquals("aac", stream.codecName()),
        () -> assertEquals("mp4a", stream.codecTag()),
        () -> assertEquals("LC", stream.profile()),
        () -> assertEquals(48000, stream.sampleRate()),
        () -> assertEquals(1, stream.channels()),
        () -> assertEquals("1/48000", stream.timeBase()),
        () -> assertEquals(samples.size(), stream.readFrames(), "frames decoded"));
    assertSamples(file, probe, 0, track, samples);
    Ffmpeg.assertDecodesWithoutError(file);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Codec.class,
      names = {"PCMU", "PCMA"})
  void g711FramesComeOutAsTheyWentIn(Codec codec) {
    String fixture = codec == Codec.PCMU ? "g711_ulaw_8k.raw" : "g711_alaw_8k.raw";
    Fixtures.Track track = Fixtures.g711(fixture, codec, 1, 160, BASE_SECONDS);
    List<Sample> samples = Fixtures.samples(track.accessUnits());
    Path file = write(List.of(track.format()), List.of(new Planned(track, samples)), 5);

    Ffmpeg.Probe probe = Ffmpeg.probe(file, true);
    Ffmpeg.Stream stream = probe.streams().get(0);
    assertAll(
        () -> assertEquals(codec == Codec.PCMU ? "pcm_mulaw" : "pcm_alaw", stream.codecName()),
        () -> assertEquals(codec == Codec.PCMU ? "ulaw" : "alaw", stream.codecTag()),
        () -> assertEquals(8000, stream.sampleRate()),
        () -> assertEquals(1, stream.channels()),
        () -> assertEquals(samples.size(), stream.readFrames(), "frames decoded"));
    assertSamples(file, probe, 0, track, samples);
    Ffmpeg.assertDecodesWithoutError(file);
  }

  static List<Arguments> muxedCases() {
    return List.of(
        Arguments.of("h264_bframes.mp4", Codec.H264, "h264"),
        Arguments.of("h265_bframes.mp4", Codec.H265, "hevc"));
  }

  /** Video and AAC in one init segment and in the same fragments: two trafs, one mdat. */
  @ParameterizedTest(name = "{0} + AAC")
  @MethodSource("muxedCases")
  void videoAndAudioShareFragments(String fixture, Codec codec, String codecName) {
    Fixtures.Track video = Fixtures.video(fixture, codec, 1, BASE_SECONDS);
    Fixtures.Track audio = Fixtures.aac("aac_48k_mono.m4a", 2, BASE_SECONDS);
    List<Sample> videoSamples = Fixtures.samples(video.accessUnits());
    List<Sample> audioSamples = Fixtures.samples(audio.accessUnits());

    // A fragment per GOP; the audio frames whose dts falls into the GOP's time go with it.
    List<Integer> videoCuts = cuts(videoSamples, Cut.AT_KEYFRAMES);
    List<List<TrackRun>> fragments = new ArrayList<>();
    int audioFrom = 0;
    for (int f = 0; f < videoCuts.size(); f++) {
      int from = videoCuts.get(f);
      int to = f + 1 < videoCuts.size() ? videoCuts.get(f + 1) : videoSamples.size();
      List<TrackRun> runs = new ArrayList<>();
      runs.add(run(1, video.accessUnits(), videoSamples, from, to));
      int audioTo = audioFrom;
      while (audioTo < audioSamples.size()
          && (to == videoSamples.size()
              || seconds(audio.accessUnits().get(audioTo))
                  < seconds(video.accessUnits().get(to)))) {
        audioTo++;
      }
      if (audioTo > audioFrom) {
        runs.add(run(2, audio.accessUnits(), audioSamples, audioFrom, audioTo));
      }
      audioFrom = audioTo;
      fragments.add(runs);
    }
    Path file = writeFile(List.of(video.format(), audio.format()), fragments);

    Ffmpeg.Probe probe = Ffmpeg.probe(file, true);
    assertEquals(2, probe.streams().size());
    assertAll(
        () -> assertEquals(codecName, probe.streams().get(0).codecName()),
        () -> assertEquals(320, probe.streams().get(0).width()),
        () -> assertEquals(videoSamples.size(), probe.streams().get(0).readFrames()),
        () -> assertEquals("aac", probe.streams().get(1).codecName()),
        () -> assertEquals(audioSamples.size(), probe.streams().get(1).readFrames()));
    assertSamples(file, probe, 0, video, videoSamples);
    assertSamples(file, probe, 1, audio, audioSamples);
    Ffmpeg.assertDecodesWithoutError(file);
  }

  /** Timestamps that start at 0 (the smallest tfdt) come out as they are, too. */
  @Test
  void streamStartingAtZero() {
    Fixtures.Track track = Fixtures.video("h264_baseline.mp4", Codec.H264, 1, 0);
    List<Sample> samples = Fixtures.samples(track.accessUnits());
    Path file =
        write(List.of(track.format()), List.of(new Planned(track, samples)), Cut.AT_KEYFRAMES);
    Ffmpeg.Probe probe = Ffmpeg.probe(file, false);
    assertEquals(0, probe.packetsOf(0).get(0).dts());
    assertSamples(file, probe, 0, track, samples);
  }

  /**
   * Signed composition offsets (trun version 1): the decode timeline moved two frames later, so I-
   * and P-frames get negative offsets. FFmpeg keeps the dts and shifts every pts up by the largest
   * negative offset (its {@code dts_shift}); an offset read as unsigned would instead put a pts
   * about 13 hours out.
   */
  @Test
  void negativeCompositionOffsetsAreSigned() {
    Fixtures.Track source = Fixtures.video("h264_bframes.mp4", Codec.H264, 1, BASE_SECONDS);
    long delay = 7200; // two frames at 25 fps
    List<AccessUnit> units =
        source.accessUnits().stream()
            .map(
                u ->
                    new AccessUnit(
                        u.track(),
                        u.codec(),
                        u.pts(),
                        u.dts() + delay,
                        u.timebase(),
                        u.keyframe(),
                        u.data(),
                        u.codecConfig()))
            .toList();
    Fixtures.Track track = new Fixtures.Track(source.format(), units, source.expectedSamples());
    List<Sample> samples = Fixtures.samples(units);
    int mostNegative = samples.stream().mapToInt(Sample::compositionOffset).min().orElseThrow();
    assertEquals(-3600, mostNegative);
    Path file =
        write(List.of(track.format()), List.of(new Planned(track, samples)), Cut.AT_KEYFRAMES);

    List<Ffmpeg.Packet> packets = Ffmpeg.probe(file, false).packetsOf(0);
    assertEquals(units.size(), packets.size());
    for (int i = 0; i < packets.size(); i++) {
      assertEquals(units.get(i).dts(), packets.get(i).dts(), "dts " + i);
      assertEquals(units.get(i).pts() - mostNegative, packets.get(i).pts(), "pts " + i);
    }
    Ffmpeg.assertDecodesWithoutError(file);
  }

  // --- writing ---

  private record Planned(Fixtures.Track track, List<Sample> samples) {}

  private Path write(List<TrackFormat> formats, List<Planned> tracks, Cut cut) {
    return write(formats, tracks, i -> cuts(tracks.get(i).samples(), cut));
  }

  private Path write(List<TrackFormat> formats, List<Planned> tracks, int perFragment) {
    return write(formats, tracks, i -> fixedCuts(tracks.get(i).samples().size(), perFragment));
  }

  /** One track per file here; each fragment holds one run. */
  private Path write(
      List<TrackFormat> formats, List<Planned> tracks, IntFunction<List<Integer>> cutsOfTrack) {
    List<List<TrackRun>> fragments = new ArrayList<>();
    for (int t = 0; t < tracks.size(); t++) {
      Planned planned = tracks.get(t);
      List<Integer> cuts = cutsOfTrack.apply(t);
      for (int c = 0; c < cuts.size(); c++) {
        int to = c + 1 < cuts.size() ? cuts.get(c + 1) : planned.samples().size();
        fragments.add(
            List.of(
                run(
                    planned.track().format().trackId(),
                    planned.track().accessUnits(),
                    planned.samples(),
                    cuts.get(c),
                    to)));
      }
    }
    return writeFile(formats, fragments);
  }

  private Path writeFile(List<TrackFormat> formats, List<List<TrackRun>> fragments) {
    Path file = dir.resolve("out.mp4");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(InitSegment.write(formats));
      int sequence = 1;
      for (List<TrackRun> runs : fragments) {
        out.write(Fragment.write(sequence++, runs));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static TrackRun run(
      int trackId, List<AccessUnit> units, List<Sample> samples, int from, int to) {
    return new TrackRun(trackId, units.get(from).dts(), samples.subList(from, to));
  }

  /** Start indices of the fragments. */
  static List<Integer> cuts(List<Sample> samples, Cut cut) {
    return switch (cut) {
      case ONE_PER_FRAGMENT -> fixedCuts(samples.size(), 1);
      case FOUR_PER_FRAGMENT -> fixedCuts(samples.size(), 4);
      case AT_KEYFRAMES -> {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
          if (i == 0 || samples.get(i).sync()) {
            starts.add(i);
          }
        }
        yield starts;
      }
    };
  }

  private static List<Integer> fixedCuts(int count, int perFragment) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < count; i += perFragment) {
      starts.add(i);
    }
    return starts;
  }

  private static double seconds(AccessUnit unit) {
    return (double) unit.dts() / unit.timebase();
  }

  // --- checking ---

  /**
   * Every packet where its access unit was, with the sample's duration, size and flag, and the
   * bytes of the source sample (Annex-B and back lost nothing; exactly the parameter sets went).
   * The keyframe flag is checked twice: as the container says it (parsers off) and as FFmpeg
   * reports it normally (for H.264 from the bitstream).
   */
  private static void assertSamples(
      Path file, Ffmpeg.Probe probe, int streamIndex, Fixtures.Track track, List<Sample> samples) {
    List<Ffmpeg.Packet> packets = probe.packetsOf(streamIndex);
    List<Ffmpeg.Packet> containerPackets = Ffmpeg.probeContainerOnly(file).packetsOf(streamIndex);
    assertEquals(samples.size(), packets.size(), "packet count");
    assertEquals(samples.size(), containerPackets.size(), "packet count, parsers off");
    for (int i = 0; i < packets.size(); i++) {
      Ffmpeg.Packet packet = packets.get(i);
      Ffmpeg.Packet containerPacket = containerPackets.get(i);
      AccessUnit unit = track.accessUnits().get(i);
      Sample sample = samples.get(i);
      byte[] expected = track.expectedSamples().get(i);
      String at = "sample " + i;
      // FFmpeg 5.1's MP4 demuxer reports no duration for the first AAC packet of a fragmented
      // file when AAC is alone in it (FFmpeg's own fragmented AAC shows the same); the dts of
      // the packet after it proves the duration anyway.
      boolean durationKnown =
          !(i == 0 && track.format().codec() == Codec.AAC && packet.duration() == 0);
      assertAll(
          at,
          () -> assertEquals(unit.pts(), packet.pts(), at + " pts"),
          () -> assertEquals(unit.dts(), packet.dts(), at + " dts"),
          () ->
              assertEquals(
                  durationKnown ? sample.duration() : 0, packet.duration(), at + " duration"),
          () -> assertEquals(expected.length, packet.size(), at + " size"),
          () ->
              assertEquals(
                  sample.sync(),
                  containerPacket.keyframe(),
                  at + " keyframe flag in the container"),
          () -> assertEquals(sample.sync(), packet.keyframe(), at + " keyframe flag"),
          () -> assertEquals("MD5:" + md5(expected), packet.dataHash(), at + " bytes"),
          () -> assertArrayEquals(expected, sample.data(), at + " sample data"));
    }
  }

  private static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
