package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.gop.Unit;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.testsupport.EncodedStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When an offer may be answered: whether a stream has B-frames (which WebRTC cannot carry) is known
 * from its keyframe when its SPS admits no reordering (ingest gives it dts = pts), and otherwise
 * only a few frames on, where the first B-frame of a GOP comes (I P B …).
 */
class RtcStreamReorderTest {

  static final long T = EncodedStream.FRAME_TICKS;
  static List<AccessUnit> units; // real H.264, timestamps rewritten per case

  @BeforeAll
  static void encode() throws Exception {
    units = EncodedStream.h264(1, 25, 320, 240);
  }

  /** The {@code i}-th unit of the clip with the given presentation and decode times (in frames). */
  static Unit unit(int i, long ptsFrames, long dtsFrames) {
    AccessUnit src = units.get(i);
    AccessUnit au =
        new AccessUnit(
            src.track(),
            src.codec(),
            ptsFrames * T,
            dtsFrames * T,
            src.timebase(),
            src.keyframe(),
            src.data(),
            src.codecConfig());
    return new Unit(au, "s1", i, 1_700_000_000_000L + i * 40, MediaRecordFormat.RECEIVED_UNKNOWN);
  }

  @Test
  void withoutReorderingInItsSpsTheKeyframeIsEnough() {
    RtcStream stream = new RtcStream(new StreamKey("test", "plain"));
    stream.unit(unit(0, 10, 10));
    assertTrue(stream.codecs().isPresent());
    assertTrue(stream.reorderingKnown(), "dts = pts: no B-frame can come");
    assertFalse(stream.reorders());
  }

  @Test
  void aStreamThatMayReorderIsJudgedOnItsFirstFrames() {
    RtcStream stream = new RtcStream(new StreamKey("test", "bframes"));
    // decode order I P B B P, presented I B B P …: the keyframe decoded a frame before it is shown
    stream.unit(unit(0, 11, 10));
    assertTrue(stream.codecs().isPresent());
    assertFalse(stream.reorderingKnown(), "the keyframe alone cannot tell");
    stream.unit(unit(1, 14, 11));
    assertFalse(stream.reorderingKnown());
    stream.unit(unit(2, 12, 12));
    assertTrue(stream.reorderingKnown());
    assertTrue(stream.reorders(), "a frame shown before one decoded earlier");
  }

  @Test
  void aStreamThatMayReorderButDoesNotIsKnownAfterAFewFrames() {
    RtcStream stream = new RtcStream(new StreamKey("test", "nobframes"));
    for (int i = 0; i < RtcStream.REORDER_JUDGED_AFTER; i++) {
      stream.unit(unit(i, 11 + i, 10 + i));
      if (i < RtcStream.REORDER_JUDGED_AFTER - 1) {
        assertFalse(stream.reorderingKnown(), "after " + (i + 1) + " frames");
      }
    }
    assertTrue(stream.reorderingKnown());
    assertFalse(stream.reorders());
  }
}
