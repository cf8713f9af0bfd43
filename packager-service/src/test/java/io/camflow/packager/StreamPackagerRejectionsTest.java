package io.camflow.packager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.record.CmafRecord;
import io.camflow.packager.audio.G711ToAac;
import io.camflow.packager.audio.G711Transcoding;
import io.camflow.testsupport.EncodedStream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every place the packager leaves an access unit out: each has its reason, is counted in {@code
 * camflow_packager_rejected_access_units_total{stream,reason}} and is logged once per stream and
 * reason — and what is not left out is not counted.
 */
class StreamPackagerRejectionsTest {

  static List<AccessUnit> video;

  MeterRegistry meters;
  RejectionMeter rejections;
  StreamPackager packager;
  long offset;
  List<StreamPackager.Output> out;

  @BeforeAll
  static void encode() throws Exception {
    video = EncodedStream.h264(3, 25, 320, 240);
  }

  @BeforeEach
  void newPackager() {
    meters = new SimpleMeterRegistry();
    rejections = new RejectionMeter("cam/main", meters);
    packager = new StreamPackager(PackagerSettings.DEFAULTS, rejections);
    offset = 0;
    out = new ArrayList<>();
  }

  void feed(AccessUnit au, String session) {
    out.addAll(
        packager.accept(new StreamPackager.Input(offset++, au, session, 1_000_000 + offset)));
  }

  /** {@code frames} of the encoded video from {@code first}, in session {@code session}. */
  void feedVideo(int first, int frames, String session) {
    for (int i = first; i < first + frames; i++) {
      feed(video.get(i), session);
    }
  }

  static AccessUnit g711(long pts, byte[] data) {
    return new AccessUnit(1, Codec.PCMA, pts, pts, 8_000, false, data, null);
  }

  double counted(Rejection reason) {
    var counter =
        meters
            .find(RejectionMeter.METER)
            .tag("stream", "cam/main")
            .tag("reason", reason.tag())
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /** Exactly {@code n} of {@code reason} and nothing else; logged once. */
  void assertOnly(Rejection reason, int n) {
    for (Rejection r : Rejection.values()) {
      assertEquals(r == reason ? n : 0, counted(r), r.tag() + " counted");
      assertEquals(r == reason ? n : 0, rejections.count(r), r.tag());
    }
    assertEquals(EnumSet.of(reason), rejections.logged(), "logged once, however often it happened");
  }

  @Test
  void aGoodStreamIsNeverCounted() {
    feedVideo(0, 75, "s1");
    assertEquals(75, out.stream().filter(o -> o.record() instanceof CmafRecord.Chunk).count());
    assertEquals(List.of(), meters.find(RejectionMeter.METER).counters().stream().toList());
  }

  @Test
  void alreadyPackaged() {
    feedVideo(0, 10, "s1");
    offset = 4; // a take-over redelivers what the last packager had done
    feedVideo(4, 6, "s1");
    assertOnly(Rejection.ALREADY_PACKAGED, 6);
    assertTrue(!Rejection.ALREADY_PACKAGED.loss(), "not a loss: logged as information");
  }

  @Test
  void malformed() {
    feedVideo(0, 5, "s1");
    feed(
        new AccessUnit(
            0, Codec.H264, 5 * 3600, 5 * 3600, 90_000, false, new byte[] {0, 0, 0, 1}, null),
        "s1");
    feed(new AccessUnit(0, Codec.H264, 6 * 3600, 6 * 3600, 90_000, false, new byte[0], null), "s1");
    feed(new AccessUnit(0, Codec.H264, -1, -1, 90_000, false, video.get(7).data(), null), "s1");
    feed(g711(0, new byte[0]), "s1");
    assertOnly(Rejection.MALFORMED, 4);
  }

  @Test
  void beforeFirstKeyframe() {
    feedVideo(1, 24, "s1"); // joins mid-GOP: nothing decodes until the keyframe
    feedVideo(25, 5, "s1");
    assertOnly(Rejection.BEFORE_FIRST_KEYFRAME, 24);
    assertTrue(out.getFirst().record() instanceof CmafRecord.Init);
  }

  @Test
  void noParameterSets() {
    AccessUnit key = video.getFirst();
    feed(new AccessUnit(0, key.codec(), 0, 0, 90_000, true, key.data(), null), "s1");
    feed(
        new AccessUnit(
            0, key.codec(), 0, 0, 90_000, true, key.data(), new byte[] {0, 0, 0, 1, 0x67}),
        "s1");
    assertOnly(Rejection.NO_PARAMETER_SETS, 2);
    assertEquals(List.of(), out);
  }

  @Test
  void timestampsWentBack() {
    feedVideo(0, 30, "s1");
    // the camera's clock jumps back mid-GOP: the segment closes, video waits for the next keyframe
    for (int i = 30; i < 50; i++) {
      AccessUnit v = video.get(i);
      feed(
          new AccessUnit(
              0,
              v.codec(),
              v.pts() - 90_000,
              v.dts() - 90_000,
              90_000,
              v.keyframe(),
              v.data(),
              v.codecConfig()),
          "s1");
    }
    assertOnly(Rejection.TIMESTAMPS_WENT_BACK, 20);
    assertTrue(
        out.stream().anyMatch(o -> o.record() instanceof CmafRecord.SegmentEnd s && s.msn() == 0));
  }

  @Test
  void audioBeforeVideo() {
    feed(g711(0, new byte[160]), "s1");
    feedVideo(0, 5, "s1");
    feed(g711(0, new byte[160]), "s2"); // a new session's audio before its video
    assertOnly(Rejection.AUDIO_BEFORE_VIDEO, 2);
  }

  @Test
  void audioBeforeInit() {
    feedVideo(0, 1, "s1");
    for (int i = 1; i < 25; i++) { // two G.711 records per frame until the next keyframe
      feed(g711((i - 1) * 320L, new byte[160]), "s1");
      feed(g711((i - 1) * 320L + 160, new byte[160]), "s1");
      feedVideo(i, 1, "s1");
    }
    assertOnly(Rejection.AUDIO_BEFORE_INIT, 48);
    feedVideo(25, 1, "s1"); // the keyframe: a new init with the audio
    feed(g711(24 * 320L, new byte[160]), "s1");
    feed(g711(24 * 320L + 160, new byte[160]), "s1");
    assertEquals(48, counted(Rejection.AUDIO_BEFORE_INIT), "in from the keyframe on");
    List<CmafRecord.Init> inits =
        out.stream()
            .map(StreamPackager.Output::record)
            .filter(CmafRecord.Init.class::isInstance)
            .map(CmafRecord.Init.class::cast)
            .toList();
    assertEquals("mp4a.40.2", inits.getLast().codecs().split(",")[1]);
    packager.close();
  }

  @Test
  void unsupportedAudio() {
    feedVideo(0, 2, "s1");
    feed(new AccessUnit(1, Codec.AAC, 0, 0, 48_000, false, new byte[20], null), "s1");
    feed(
        new AccessUnit(1, Codec.AAC, 1024, 1024, 48_000, false, new byte[20], new byte[] {0, 0}),
        "s1");
    assertOnly(Rejection.UNSUPPORTED_AUDIO, 2);
  }

  @Test
  void transcodingFailed() {
    // a transcoder whose FFmpeg side is gone: every frame fails, and a new one is tried each time
    packager =
        new StreamPackager(
            PackagerSettings.DEFAULTS,
            rejections,
            new G711Transcoding(
                () -> {
                  G711ToAac broken = new G711ToAac();
                  broken.close();
                  return broken;
                }));
    feedVideo(0, 2, "s1");
    feed(g711(0, new byte[160]), "s1");
    feed(g711(160, new byte[160]), "s1");
    assertOnly(Rejection.TRANSCODING_FAILED, 2);
    assertEquals(false, packager.transcodingAudio(), "the failed transcoder is let go");
  }

  @Test
  void theLogLineSaysWhatWhereAndWhy() {
    String line =
        rejections.message(
            Rejection.BEFORE_FIRST_KEYFRAME,
            new StreamPackager.Input(42, video.get(3), "s1", 0),
            null);
    assertEquals(
        "cam/main: access unit at media offset 42 (h264, dts 10800/90000) left out, before-first-keyframe: "
            + Rejection.BEFORE_FIRST_KEYFRAME.why()
            + ". Counted in camflow_packager_rejected_access_units_total"
            + "{reason=\"before-first-keyframe\"}; logged once per stream and reason.",
        line);
  }
}
