package io.camflow.packager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.fmp4.Mp4Boxes;
import io.camflow.media.record.CmafRecord;
import io.camflow.packager.audio.G711ToAac;
import io.camflow.packager.audio.G711Tone;
import io.camflow.packager.audio.G711Transcoding;
import io.camflow.testsupport.DecodedAudio;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.Ffprobe;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera sending H.264 and G.711 (A-law, a 440 Hz tone at 0.2 made by Debian's FFmpeg), as ingest
 * interleaves them: the packager's CMAF carries an AAC track that FFmpeg decodes back to the tone,
 * in its place beside the video; a restarted packager continues it on the same grid; a new camera
 * session starts it anew; the transcoder's native memory is given back.
 */
class StreamPackagerG711Test {

  static final double LEVEL = 0.2 / Math.sqrt(2);
  static List<AccessUnit> video;
  static byte[] tone;

  @TempDir Path dir;

  @BeforeAll
  static void encode() throws Exception {
    video = EncodedStream.h264(6, 25, 320, 240); // a keyframe every second
    tone = G711Tone.codes(Codec.PCMA, 440, 0.2, 6.0);
  }

  /**
   * Video frame i, then the two 20 ms G.711 records of its 40 ms; capture times run with the pts.
   */
  static List<StreamPackager.Input> camera(String session, long firstOffset) {
    List<StreamPackager.Input> in = new ArrayList<>();
    List<AccessUnit> g711 = G711Tone.records(Codec.PCMA, tone, 160, 0);
    long offset = firstOffset;
    for (int i = 0; i < video.size(); i++) {
      in.add(
          new StreamPackager.Input(
              offset++, video.get(i), session, 1_000_000 + i * 40L, 7_000_000 + i));
      for (int j = 2 * i; j < 2 * i + 2 && j < g711.size(); j++) {
        in.add(
            new StreamPackager.Input(
                offset++, g711.get(j), session, 1_000_000 + j * 20L, 8_000_000 + j));
      }
    }
    return in;
  }

  static List<StreamPackager.Output> run(StreamPackager p, List<StreamPackager.Input> in) {
    List<StreamPackager.Output> out = new ArrayList<>();
    in.forEach(i -> out.addAll(p.accept(i)));
    return out;
  }

  static List<CmafRecord.Chunk> audioChunks(List<StreamPackager.Output> out) {
    return out.stream()
        .map(StreamPackager.Output::record)
        .filter(r -> r instanceof CmafRecord.Chunk c && c.track() == StreamPackager.AUDIO_TRACK_ID)
        .map(CmafRecord.Chunk.class::cast)
        .toList();
  }

  static int samplesIn(CmafRecord.Chunk c) {
    Mp4Boxes.Box trun = Mp4Boxes.find(Mp4Boxes.parse(c.data()), "moof/traf/trun").orElseThrow();
    return java.nio.ByteBuffer.wrap(c.data(), trun.payloadOffset() + 4, 4).getInt();
  }

  /** The last init segment and every chunk after it: a file FFmpeg reads as fragmented MP4. */
  Path file(List<StreamPackager.Output> out, String name) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (StreamPackager.Output o : out) {
      if (o.record() instanceof CmafRecord.Init init) {
        bytes.reset();
        bytes.write(init.data());
      } else if (o.record() instanceof CmafRecord.Chunk c) {
        bytes.write(c.data());
      }
    }
    Path f = dir.resolve(name);
    Files.write(f, bytes.toByteArray());
    return f;
  }

  /**
   * dB of the sound above its difference from the camera's sine, the sine's phase taken from the
   * G.711 pts.
   */
  static double snrDb(DecodedAudio heard, long firstDts48k, double fromSecond, double toSecond) {
    double signal = 0;
    double noise = 0;
    for (int i = (int) (fromSecond * 48_000); i < (int) (toSecond * 48_000); i++) {
      double sine = 0.2 * Math.sin(2 * Math.PI * 440 * (firstDts48k + i) / 48_000.0);
      signal += sine * sine;
      noise += (heard.samples()[i] - sine) * (heard.samples()[i] - sine);
    }
    return 10 * Math.log10(signal / noise);
  }

  @Test
  void theG711BecomesAnAacTrackThatFfmpegPlaysBackAsTheCamerasTone() throws Exception {
    List<StreamPackager.Output> out;
    try (StreamPackager p = new StreamPackager(PackagerSettings.DEFAULTS)) {
      out = run(p, camera("s1", 0));
    }
    List<CmafRecord.Init> inits =
        out.stream()
            .map(StreamPackager.Output::record)
            .filter(CmafRecord.Init.class::isInstance)
            .map(CmafRecord.Init.class::cast)
            .toList();
    assertEquals(2, inits.size(), "video alone, then with the audio from the next keyframe");
    assertEquals("avc1.42c00d,mp4a.40.2", inits.get(1).codecs());
    assertEquals(25 * 3, inits.get(1).init(), "the second keyframe opened it");

    List<CmafRecord.Chunk> audio = audioChunks(out);
    assertTrue(audio.size() > 200, "audio chunks: " + audio.size());
    for (int i = 0; i < audio.size(); i++) {
      CmafRecord.Chunk c = audio.get(i);
      assertEquals(48_000, c.timebase());
      assertEquals(
          8_000_000 + (c.sourceOffset() - c.sourceOffset() / 3 - 1),
          c.receivedMicros(),
          "the completing G.711 record's receipt time");
      if (i > 0) {
        CmafRecord.Chunk before = audio.get(i - 1);
        assertEquals(
            before.dts() + samplesIn(before) * 1024L,
            c.dts(),
            "chunk " + i + " goes on where " + (i - 1) + " ended");
        assertTrue(c.sourceOffset() > before.sourceOffset(), "one chunk per G.711 record at most");
      }
    }
    for (StreamPackager.Output o : out) {
      if (o.record() instanceof CmafRecord.Chunk c && c.track() == StreamPackager.AUDIO_TRACK_ID) {
        assertEquals(
            1_000_000 + c.dts() / 48,
            o.timestampMillis(),
            "record time = capture time of its first frame");
      }
    }

    Path mp4 = file(out, "g711.mp4");
    List<Ffprobe.StreamInfo> streams = Ffprobe.probe(mp4.toString(), Duration.ofSeconds(30));
    Ffprobe.StreamInfo aac = Ffprobe.audio(streams).orElseThrow();
    assertEquals("aac", aac.codecName());
    assertEquals(48_000, aac.sampleRate());
    assertEquals(1, aac.channels());
    assertEquals("h264", Ffprobe.video(streams).orElseThrow().codecName());
    DecodedAudio heard = DecodedAudio.decode(mp4.toString(), Duration.ofSeconds(30));
    double seconds = heard.seconds();
    System.out.printf(
        "packaged G.711: %d audio chunks, %.3f s decoded by ffmpeg, rms %.4f, %.2f Hz, %.1f dB%n",
        audio.size(),
        seconds,
        heard.rms(0.1, seconds - 0.1),
        heard.hz(0.1, seconds - 0.1),
        snrDb(heard, audio.getFirst().dts(), 0.1, seconds - 0.1));
    assertEquals(
        5.0, seconds, 0.2, "from the keyframe at 1 s to the end, less the encoder's look-ahead");
    assertEquals(LEVEL, heard.rms(0.1, seconds - 0.1), LEVEL * 0.05, "the camera's level");
    assertEquals(440, heard.hz(0.1, seconds - 0.1), 0.5, "the camera's frequency");
    assertTrue(heard.quietest10Ms(0.02, seconds - 0.02) > LEVEL * 0.6, "no hole");
    assertTrue(
        snrDb(heard, audio.getFirst().dts(), 0.1, seconds - 0.1) > 28,
        "the tone where the camera's clock put it, to the sample");
  }

  @Test
  void restoringFromItsOwnOutputContinuesTheAudioOnTheSameGrid() throws Exception {
    List<StreamPackager.Input> in = camera("s1", 100);
    List<StreamPackager.Output> uninterrupted;
    try (StreamPackager p = new StreamPackager(PackagerSettings.DEFAULTS)) {
      uninterrupted = run(p, in);
    }
    int restores = 0;
    for (int killedAfter = 230; killedAfter < 440; killedAfter += 13) {
      List<StreamPackager.Output> written;
      try (StreamPackager first = new StreamPackager(PackagerSettings.DEFAULTS)) {
        written = run(first, in.subList(0, killedAfter));
      }
      List<StreamPackager.Output> tail = StreamPackagerTest.tail(written);
      if (audioChunks(tail).isEmpty()) {
        continue; // the init in force is not known from such a tail: see docs/cmaf-format.md,
        // "Restart"
      }
      restores++;
      List<StreamPackager.Output> all = new ArrayList<>(written);
      try (StreamPackager second = new StreamPackager(PackagerSettings.DEFAULTS)) {
        second.restore(tail, offset -> in.get((int) (offset - 100)).au());
        all.addAll(run(second, in.subList(Math.max(0, killedAfter - 5), in.size())));
      }
      assertEquals(
          uninterrupted.size(),
          all.size(),
          "same number of records after a kill at " + killedAfter);
      for (int i = 0; i < all.size(); i++) {
        CmafRecord a = uninterrupted.get(i).record();
        CmafRecord b = all.get(i).record();
        assertEquals(a.getClass(), b.getClass(), "record " + i + " after a kill at " + killedAfter);
        for (var h : a.headers().entrySet()) {
          assertArrayEquals(
              h.getValue(),
              b.headers().get(h.getKey()),
              h.getKey() + " of record " + i + " after a kill at " + killedAfter);
        }
        assertEquals(uninterrupted.get(i).timestampMillis(), all.get(i).timestampMillis());
        if (!(a instanceof CmafRecord.Chunk c && c.track() == StreamPackager.AUDIO_TRACK_ID)) {
          assertArrayEquals(
              a.payload(), b.payload(), "bytes of record " + i + " after a kill at " + killedAfter);
        } else {
          assertEquals(
              samplesIn(c), samplesIn((CmafRecord.Chunk) b), "frames of audio record " + i);
        }
      }
      List<CmafRecord.Chunk> audio = audioChunks(all);
      DecodedAudio heard =
          DecodedAudio.decode(file(all, "restored.mp4").toString(), Duration.ofSeconds(30));
      assertTrue(
          heard.quietest10Ms(0.02, heard.seconds() - 0.02) > LEVEL * 0.6,
          "no hole at a kill at " + killedAfter);
      assertTrue(
          snrDb(heard, audio.getFirst().dts(), 0.1, heard.seconds() - 0.1) > 28,
          "no click at a kill at " + killedAfter);
    }
    assertTrue(restores >= 10, "restores tried: " + restores);
  }

  @Test
  void aNewCameraSessionStartsTheAudioAnew() throws Exception {
    List<StreamPackager.Output> out;
    try (StreamPackager p = new StreamPackager(PackagerSettings.DEFAULTS)) {
      out = new ArrayList<>(run(p, camera("s1", 0).subList(0, 300)));
      out.addAll(run(p, camera("s2", 300))); // the camera reconnected: its clocks start at 0 again
    }
    List<CmafRecord.Chunk> s2 =
        audioChunks(out).stream().filter(c -> c.session().equals("s2")).toList();
    assertEquals(
        0, s2.getFirst().dts() % 1024, "on a grid from the new session's first G.711 (pts 0)");
    assertTrue(
        s2.getFirst().dts() < 48_000 && s2.getFirst().dts() > 48_000 - 5 * 1024,
        "joining at the new session's second keyframe (1 s): " + s2.getFirst().dts());
    for (int i = 1; i < s2.size(); i++) {
      assertEquals(s2.get(i - 1).dts() + samplesIn(s2.get(i - 1)) * 1024L, s2.get(i).dts());
    }
    DecodedAudio heard =
        DecodedAudio.decode(file(out, "s2.mp4").toString(), Duration.ofSeconds(30));
    assertTrue(
        snrDb(heard, s2.getFirst().dts(), 0.1, heard.seconds() - 0.1) > 28,
        "the new session's tone, in place");
  }

  @Test
  void theTranscoderHoldsNativeMemoryOnlyWhileG711Comes() {
    int before = G711ToAac.open();
    List<StreamPackager.Input> in = camera("s1", 0);
    StreamPackager p = new StreamPackager(PackagerSettings.DEFAULTS);
    run(p, in.subList(0, 30));
    assertTrue(p.transcodingAudio());
    assertEquals(before + 1, G711ToAac.open());
    long now = System.nanoTime();
    assertEquals(false, p.closeIdleAudio(now), "still coming");
    assertEquals(
        true,
        p.closeIdleAudio(now + G711Transcoding.IDLE.toNanos() + 1),
        "nothing for a while: closed");
    assertEquals(before, G711ToAac.open());
    run(p, in.subList(30, 60));
    assertEquals(before + 1, G711ToAac.open(), "opened again when G.711 comes back");
    p.close();
    assertEquals(before, G711ToAac.open(), "and freed with the stream");
  }

  @Test
  void garbageG711NeverStopsThePackagerAndIsCounted() {
    java.util.Random random = new java.util.Random(711);
    java.util.EnumMap<Rejection, Integer> rejected = new java.util.EnumMap<>(Rejection.class);
    int before = G711ToAac.open();
    List<StreamPackager.Input> in = camera("s1", 0);
    List<StreamPackager.Output> out = new ArrayList<>();
    try (StreamPackager p =
        new StreamPackager(
            PackagerSettings.DEFAULTS, (r, i, d) -> rejected.merge(r, 1, Integer::sum))) {
      for (StreamPackager.Input good : in) {
        StreamPackager.Input input = good;
        if (good.au().codec() == Codec.PCMA
            && random.nextInt(5) == 0) { // a fifth of the audio is garbage
          AccessUnit a = good.au();
          long pts =
              switch (random.nextInt(4)) {
                case 0 -> -random.nextInt(100_000);
                case 1 -> Long.MAX_VALUE - random.nextInt(1000);
                case 2 -> a.pts() + random.nextInt(20_000) - 10_000;
                default -> a.pts();
              };
          int timebase = random.nextBoolean() ? 8_000 : 1 + random.nextInt(200_000);
          byte[] data = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(3000)];
          random.nextBytes(data);
          input =
              new StreamPackager.Input(
                  good.offset(),
                  new AccessUnit(
                      1,
                      random.nextBoolean() ? Codec.PCMA : Codec.PCMU,
                      pts,
                      pts,
                      timebase,
                      random.nextBoolean(),
                      data,
                      null),
                  good.session(),
                  good.captureMillis());
        }
        out.addAll(p.accept(input));
      }
    }
    assertEquals(before, G711ToAac.open(), "native memory freed");
    assertTrue(rejected.getOrDefault(Rejection.MALFORMED, 0) > 20, "garbage counted: " + rejected);
    assertTrue(
        audioChunks(out).size() > 100,
        "the good audio keeps being packaged: " + audioChunks(out).size());
    for (CmafRecord.Chunk c : audioChunks(out)) {
      assertTrue(c.dts() >= 0, "every audio chunk has a time fMP4 can hold");
    }
  }
}
