package io.camflow.picture;

import io.camflow.media.AccessUnit;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * The picture of one instant of a stream: decodes a run of one video track's access units from a
 * keyframe and encodes the last picture presented at or before the asked instant. For a keyframe
 * alone (the latest one, a snapshot) that is one decode; for an exact instant, every unit from the
 * keyframe up to it and a few past it (a B-frame camera presents frames later than it sends them).
 */
public final class PictureMaker {

  private PictureMaker() {}

  /**
   * @param run one video track's access units in decode order, the first a keyframe
   * @param targetPts the instant, in the run's pts; {@link Long#MAX_VALUE} for the last picture
   * @param keyframeMillis when the keyframe was captured (the pictures' wall clock follows their
   *     pts from there)
   * @throws BadPictureException if nothing in the run decodes to a picture at or before the instant
   */
  public static Picture at(
      List<AccessUnit> run, long targetPts, long keyframeMillis, PictureSpec spec) {
    if (run.isEmpty() || !run.getFirst().keyframe()) {
      throw new IllegalArgumentException("a run starts at a keyframe");
    }
    AccessUnit keyframe = run.getFirst();
    AVFrame best = avutil.av_frame_alloc();
    long[] bestPts = {Long.MIN_VALUE};
    try (FrameDecoder decoder = new FrameDecoder(keyframe.codec())) {
      java.util.function.Consumer<AVFrame> keep =
          f -> {
            long pts = f.pts() == avutil.AV_NOPTS_VALUE ? f.best_effort_timestamp() : f.pts();
            if (pts <= targetPts && pts >= bestPts[0]) {
              avutil.av_frame_unref(best);
              FrameDecoder.check(avutil.av_frame_ref(best, f), "picture reference");
              bestPts[0] = pts;
            }
          };
      for (AccessUnit au : run) {
        decoder.decode(au, keep);
      }
      decoder.flush(keep);
      if (bestPts[0] == Long.MIN_VALUE) {
        throw new BadPictureException(
            "the keyframe at pts " + keyframe.pts() + " does not decode to a picture");
      }
      long capture =
          keyframeMillis + (bestPts[0] - keyframe.pts()) * 1000 / Math.max(1, keyframe.timebase());
      return PictureEncoder.encode(best, spec, capture);
    } finally {
      avutil.av_frame_free(best);
    }
  }
}
