package io.camflow.media.au;

import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h265.H265NalType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Groups demuxer packets into access units. FFmpeg's RTSP demuxer hands out one packet per slice
 * (it does not see the RTP marker bit), so a camera that codes a picture as several slices yields
 * several packets with one pts. A group is complete when a packet with another pts arrives — which
 * costs one frame interval of latency. To avoid that cost, the grouper learns how many slices the
 * camera puts in a picture (separately for keyframes and other pictures; the same count three times
 * in a row) and from then on closes a group as soon as that many slices are in. If a slice then
 * arrives for a picture already closed, the camera's slicing changed: the late slice is dropped,
 * counted, and the grouper goes back to waiting for the next pts until it has learned again.
 */
public final class SliceGrouper {

  /** A complete access unit's bytes (Annex-B) with its timestamps. */
  public record Group(byte[] data, long pts, long dts, boolean early) {}

  private static final int STREAK_TO_LEARN = 3;
  private static final long NO_PTS = Long.MIN_VALUE;

  private final Codec codec;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private long pendingPts = NO_PTS;
  private long pendingDts;
  private int pendingSlices;
  private Boolean pendingKey;
  private long closedEarlyPts = NO_PTS;
  private long lateSlices;
  private Boolean lastKey;
  private final Learner keyframes = new Learner();
  private final Learner others = new Learner();

  public SliceGrouper(Codec codec) {
    if (!codec.isVideo()) {
      throw new IllegalArgumentException("slice grouping is for video, not " + codec);
    }
    this.codec = codec;
  }

  /** Adds one packet; returns the access units it completed (none, one, or two). */
  public List<Group> add(byte[] packet, long pts, long dts) {
    List<Group> done = new ArrayList<>(2);
    if (pts == closedEarlyPts && pendingPts == NO_PTS) {
      lateSlices++;
      (Boolean.TRUE.equals(lastKey) ? keyframes : others).forget();
      return done; // a slice of a picture already sent: the learned count was wrong
    }
    if (pendingPts != NO_PTS && pts != pendingPts) {
      learner(pendingKey).observe(pendingSlices);
      done.add(close(false));
    }
    int slices = 0;
    for (byte[] nal : AnnexB.split(packet)) {
      if (nal.length == 0) {
        continue;
      }
      int type = codec == Codec.H264 ? H264NalType.type(nal) : H265NalType.type(nal);
      boolean vcl = codec == Codec.H264 ? H264NalType.isVcl(type) : H265NalType.isVcl(type);
      if (vcl) {
        slices++;
        if (pendingKey == null) {
          pendingKey = codec == Codec.H264 ? H264NalType.isIdr(type) : H265NalType.isIrap(type);
        }
      }
    }
    if (pendingPts == NO_PTS) {
      pendingPts = pts;
      pendingDts = dts;
    }
    pending.writeBytes(packet);
    pendingSlices += slices;
    int learned = pendingKey == null ? 0 : learner(pendingKey).learned;
    if (learned > 0 && pendingSlices >= learned) {
      done.add(close(true));
    }
    return done;
  }

  /** The access unit still open, if any: at the end of a stream. */
  public Optional<Group> flush() {
    return pendingPts == NO_PTS ? Optional.empty() : Optional.of(close(false));
  }

  /** Slices dropped because they arrived after their picture was closed early. */
  public long lateSlices() {
    return lateSlices;
  }

  private Learner learner(Boolean key) {
    return Boolean.TRUE.equals(key) ? keyframes : others;
  }

  private Group close(boolean early) {
    Group g = new Group(pending.toByteArray(), pendingPts, pendingDts, early);
    closedEarlyPts = early ? pendingPts : NO_PTS;
    lastKey = pendingKey;
    pending.reset();
    pendingPts = NO_PTS;
    pendingSlices = 0;
    pendingKey = null;
    return g;
  }

  /** Learns the slice count of one kind of picture from complete groups. */
  private static final class Learner {
    int candidate;
    int streak;
    int learned;

    void observe(int slices) {
      if (slices <= 0) {
        return;
      }
      if (slices == candidate) {
        streak++;
      } else {
        candidate = slices;
        streak = 1;
      }
      if (streak >= STREAK_TO_LEARN) {
        learned = candidate;
      }
    }

    void forget() {
      learned = 0;
      candidate = 0;
      streak = 0;
    }
  }
}
