package io.camflow.packager;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.fmp4.Fragment;
import io.camflow.media.fmp4.InitSegment;
import io.camflow.media.fmp4.Sample;
import io.camflow.media.fmp4.TrackFormat;
import io.camflow.media.fmp4.TrackRun;
import io.camflow.media.hls.PartSchedule;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.MediaRecordFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Packages one stream: access units in, CMAF records out — an init segment per codec
 * configuration and source session, one chunk per access unit, and the ends of parts and segments
 * as the {@link PartSchedule} cuts them on the video track. Everything it writes follows from the
 * input and the media offsets, so a restarted packager that {@link #restore restores} from its own
 * output continues with the same numbers: no gap, no duplicate.
 */
final class StreamPackager {

  static final int VIDEO_TRACK_ID = 1;
  static final int AUDIO_TRACK_ID = 2;

  /**
   * A media record: the access unit, where it is in the media topic, its capture time, and when
   * ingest had it complete (carried to its chunk for delivery's added-latency metric).
   */
  record Input(long offset, AccessUnit au, String session, long captureMillis, long receivedMicros) {

    /** An access unit whose ingest receipt time is not known. */
    Input(long offset, AccessUnit au, String session, long captureMillis) {
      this(offset, au, session, captureMillis, MediaRecordFormat.RECEIVED_UNKNOWN);
    }
  }

  /** A CMAF record with its Kafka timestamp (capture time of its first frame). */
  record Output(CmafRecord record, long timestampMillis) {}

  private final PartSchedule schedule;

  private long lastOffset = -1;
  private long lastChunkOffset = -1;
  private String session;
  private long initId = -1;
  private byte[] videoConfig;
  private String initSession;
  private long dropped;
  private TrackFormat audio;
  private boolean audioInInit;
  private boolean discontinuity;

  private long nextMsn;
  private boolean segmentOpen;
  private long msn;
  private int part;
  private long segmentStartDts;
  private long partStartDts;
  private long segmentCaptureMillis;
  private boolean partIndependent;
  private long lastVideoDts = Long.MIN_VALUE;
  private long videoFrameTicks = 3600;
  private int videoTimebase = 90_000;
  private long lastAudioDts = Long.MIN_VALUE;
  private long audioFrameTicks = 1024;

  StreamPackager(PackagerSettings settings) {
    this.schedule = new PartSchedule(settings.partTarget(), settings.segmentTarget());
  }

  long lastOffset() {
    return lastOffset;
  }

  /**
   * Picks up where an earlier packager of this stream stopped, from the tail of its own output:
   * the records after the last segment end (and that segment end, if any), oldest first.
   *
   * @param tail the CMAF records with their timestamps
   * @param mediaAt the media record at an offset (for the codec configuration of the init in force)
   */
  void restore(List<Output> tail, java.util.function.LongFunction<AccessUnit> mediaAt) {
    for (Output o : tail) {
      CmafRecord r = o.record();
      lastOffset = Math.max(lastOffset, r.sourceOffset());
      session = r.session();
      initSession = r.session();
      if (initId != r.init()) {
        initId = r.init();
        AccessUnit opener = mediaAt.apply(initId);
        videoConfig = opener == null ? null : opener.codecConfig();
        videoTimebase = opener == null ? 90_000 : opener.timebase();
        audioInInit = false;
      }
      switch (r) {
        case CmafRecord.Init init -> discontinuity = true;
        case CmafRecord.SegmentEnd end -> {
          nextMsn = end.msn() + 1;
          segmentOpen = false;
          discontinuity = false;
        }
        case CmafRecord.PartEnd end -> {
          part = end.part() + 1;
          partIndependent = false;
        }
        case CmafRecord.Chunk c -> restoreChunk(c, o.timestampMillis());
      }
    }
  }

  /** The part of the last video chunk replayed by {@link #restore}: a different one starts a part. */
  private int restoredPart = -1;

  private void restoreChunk(CmafRecord.Chunk c, long timestampMillis) {
    lastChunkOffset = c.sourceOffset();
    if (c.track() == AUDIO_TRACK_ID) {
      audioInInit = true;
      lastAudioDts = c.dts();
      return;
    }
    if (!segmentOpen || c.msn() != msn) {
      segmentOpen = true;
      msn = c.msn();
      nextMsn = msn;
      part = c.part();
      segmentStartDts = c.dts();
      partStartDts = c.dts();
      partIndependent = c.keyframe();
      segmentCaptureMillis = timestampMillis;
      schedule.reset();
      schedule.next(c.dts(), c.timebase(), c.keyframe());
    } else {
      schedule.next(c.dts(), c.timebase(), c.keyframe());
      if (c.part() != restoredPart) {
        partStartDts = c.dts();
        partIndependent = c.keyframe();
        part = c.part();
      }
    }
    restoredPart = c.part();
    if (lastVideoDts != Long.MIN_VALUE && c.dts() > lastVideoDts) {
      videoFrameTicks = c.dts() - lastVideoDts;
    }
    lastVideoDts = c.dts();
  }

  /** Packages one access unit; returns what to write, in order. */
  List<Output> accept(Input in) {
    if (in.offset() <= lastOffset) {
      return List.of(); // already packaged before a restart
    }
    lastOffset = in.offset();
    List<Output> out = new ArrayList<>(3);
    AccessUnit au = in.au();
    if (au.codec().isVideo()) {
      video(in, out);
    } else {
      audio(in, out);
    }
    return out;
  }

  private void video(Input in, List<Output> out) {
    AccessUnit au = in.au();
    if (!Objects.equals(in.session(), session)) {
      if (segmentOpen) {
        closeSegment(in, lastVideoDts + videoFrameTicks, out); // the camera went away mid-segment
      }
      schedule.reset();
      session = in.session();
      audio = null;
      audioInInit = false;
      lastVideoDts = Long.MIN_VALUE;
      lastAudioDts = Long.MIN_VALUE;
    }
    boolean initCurrent = Objects.equals(initSession, session);
    if (!au.keyframe() && !initCurrent) {
      return; // nothing before the session's first init segment can be decoded
    }
    long ticks = lastVideoDts != Long.MIN_VALUE && au.dts() > lastVideoDts ? au.dts() - lastVideoDts : videoFrameTicks;
    Sample sample;
    try {
      sample = Sample.fromAccessUnit(au, (int) ticks);
    } catch (IllegalArgumentException malformed) {
      dropped++; // garbage from the camera: this access unit is skipped, nothing else changes
      return;
    }
    if (au.keyframe()) {
      boolean configChanged = au.codecConfig() != null && !Arrays.equals(au.codecConfig(), videoConfig);
      boolean audioJoined = audio != null && !audioInInit;
      if (!initCurrent || configChanged || audioJoined) {
        TrackFormat video = videoFormat(au);
        if (video == null && !initCurrent) {
          return; // no usable parameter sets yet for this session
        }
        if (video != null) {
          if (segmentOpen) {
            closeSegment(in, au.dts(), out);
          }
          schedule.reset();
          writeInit(in, video, out);
        }
      }
    }
    videoFrameTicks = ticks;
    PartSchedule.Cut cut;
    try {
      cut = schedule.next(au.dts(), au.timebase(), au.keyframe());
    } catch (IllegalArgumentException timestampsJumpedBack) {
      if (segmentOpen) {
        closeSegment(in, lastVideoDts + videoFrameTicks, out);
      }
      discontinuity = true;
      schedule.reset();
      cut = schedule.next(au.dts(), au.timebase(), au.keyframe());
    }
    switch (cut) {
      case DROP -> {
        return; // no segment open and not a keyframe: nothing to join
      }
      case SEGMENT -> {
        if (segmentOpen) {
          closeSegment(in, au.dts(), out);
        }
        openSegment(in);
      }
      case PART -> {
        closePart(in, au.dts(), out);
        part++;
        partStartDts = au.dts();
        partIndependent = au.keyframe();
      }
      case NONE -> { }
    }
    lastVideoDts = au.dts();
    out.add(chunk(in, VIDEO_TRACK_ID, sample));
  }

  /** The video track of an init segment for this keyframe, or null if its parameter sets are unusable. */
  private static TrackFormat videoFormat(AccessUnit au) {
    if (au.codecConfig() == null) {
      return null;
    }
    try {
      return TrackFormat.video(VIDEO_TRACK_ID, au.codec(), au.codecConfig());
    } catch (IllegalArgumentException garbage) {
      return null;
    }
  }

  /** Access units dropped as malformed since this packager started. */
  long dropped() {
    return dropped;
  }

  private void audio(Input in, List<Output> out) {
    AccessUnit au = in.au();
    if (!Objects.equals(in.session(), session)) {
      return; // audio before the session's first keyframe
    }
    if (audio == null) {
      audio = audioFormat(au);
      if (audio == null) {
        return;
      }
    }
    if (lastAudioDts != Long.MIN_VALUE && au.dts() > lastAudioDts) {
      audioFrameTicks = au.dts() - lastAudioDts;
    }
    lastAudioDts = au.dts();
    if (!segmentOpen || !audioInInit) {
      return; // joins the init segment at the next keyframe
    }
    out.add(chunk(in, AUDIO_TRACK_ID, Sample.fromAccessUnit(au, (int) audioFrameTicks)));
  }

  private static TrackFormat audioFormat(AccessUnit au) {
    try {
      // G.711 stays out: no browser plays ulaw/alaw from MP4, and an init listing it would stop
      // the video too. WebRTC carries G.711 as it is.
      return au.codec() == Codec.AAC && au.codecConfig() != null
          ? TrackFormat.aac(AUDIO_TRACK_ID, au.codecConfig()).withTimescale(au.timebase())
          : null;
    } catch (IllegalArgumentException e) {
      return null; // an audio configuration the container cannot carry: video goes on alone
    }
  }

  private void writeInit(Input in, TrackFormat video, List<Output> out) {
    videoConfig = in.au().codecConfig();
    videoTimebase = in.au().timebase();
    initSession = session;
    List<TrackFormat> tracks = new ArrayList<>(2);
    tracks.add(video);
    audioInInit = audio != null;
    if (audioInInit) {
      tracks.add(audio);
    }
    initId = in.offset();
    discontinuity = true;
    String codecs = String.join(",", tracks.stream().map(TrackFormat::codecString).toList());
    out.add(new Output(new CmafRecord.Init(session, in.offset(), initId, codecs, video.width(), video.height(),
        InitSegment.write(tracks)), in.captureMillis()));
  }

  private void openSegment(Input in) {
    segmentOpen = true;
    msn = nextMsn;
    part = 0;
    segmentStartDts = in.au().dts();
    partStartDts = in.au().dts();
    partIndependent = in.au().keyframe();
    segmentCaptureMillis = in.captureMillis();
  }

  private void closePart(Input in, long endDts, List<Output> out) {
    out.add(new Output(new CmafRecord.PartEnd(session, lastChunkOffset, initId, msn, part,
        micros(endDts - partStartDts), partIndependent), in.captureMillis()));
  }

  private void closeSegment(Input in, long endDts, List<Output> out) {
    closePart(in, endDts, out);
    out.add(new Output(new CmafRecord.SegmentEnd(session, lastChunkOffset, initId, msn,
        micros(endDts - segmentStartDts), part + 1, discontinuity), segmentCaptureMillis));
    discontinuity = false;
    segmentOpen = false;
    nextMsn = msn + 1;
  }

  private long micros(long ticks) {
    return ticks * 1_000_000L / videoTimebase;
  }

  private Output chunk(Input in, int trackId, Sample sample) {
    AccessUnit au = in.au();
    // the fragment sequence number follows the media offset: deterministic across restarts
    byte[] data = Fragment.write((int) in.offset(), List.of(new TrackRun(trackId, au.dts(), List.of(sample))));
    lastChunkOffset = in.offset();
    return new Output(new CmafRecord.Chunk(session, in.offset(), initId, trackId, au.dts(), au.timebase(),
        au.keyframe(), msn, part, data, in.receivedMicros()), in.captureMillis());
  }
}
