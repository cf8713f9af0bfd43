package io.camflow.packager;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.fmp4.Fragment;
import io.camflow.media.fmp4.InitSegment;
import io.camflow.media.fmp4.Mp4Boxes;
import io.camflow.media.fmp4.Sample;
import io.camflow.media.fmp4.TrackFormat;
import io.camflow.media.fmp4.TrackRun;
import io.camflow.media.hls.PartSchedule;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.packager.audio.G711ToAac;
import io.camflow.packager.audio.G711Transcoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Packages one stream: access units in, CMAF records out — an init segment per codec configuration
 * and source session, one chunk per access unit, and the ends of parts and segments as the {@link
 * PartSchedule} cuts them on the video track. Everything it writes follows from the input and the
 * media offsets, so a restarted packager that {@link #restore restores} from its own output
 * continues with the same numbers: no gap, no duplicate.
 *
 * <p>Audio: camera AAC as it is; G.711, which no browser plays from MP4, as AAC-LC made once here
 * ({@link G711Transcoding}): one chunk per G.711 record that completes AAC frames, holding all of
 * them, none for a record that completes none. Whatever it leaves out goes to its {@link
 * Rejections} with a reason: nothing is dropped silently.
 */
final class StreamPackager implements AutoCloseable {

  static final int VIDEO_TRACK_ID = 1;
  static final int AUDIO_TRACK_ID = 2;

  /**
   * A media record: the access unit, where it is in the media topic, its capture time, and when
   * ingest had it complete (carried to its chunk for delivery's added-latency metric).
   */
  record Input(
      long offset, AccessUnit au, String session, long captureMillis, long receivedMicros) {

    /** An access unit whose ingest receipt time is not known. */
    Input(long offset, AccessUnit au, String session, long captureMillis) {
      this(offset, au, session, captureMillis, MediaRecordFormat.RECEIVED_UNKNOWN);
    }
  }

  /** A CMAF record with its Kafka timestamp (capture time of its first frame). */
  record Output(CmafRecord record, long timestampMillis) {}

  private final PackagerSettings settings;
  private final PartSchedule schedule;
  private final Rejections rejections;
  private final G711Transcoding g711;

  private long lastOffset = -1;
  private long lastChunkOffset = -1;
  private String session;
  private long initId = -1;
  private byte[] videoConfig;
  private String initSession;
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

  /**
   * After a restore whose tail ends with a part's end and no video chunk after it (the packager
   * before was stopped between the two): that part is closed and the next one not begun, so the cut
   * the next video frame brings is already written.
   */
  private boolean partClosed;

  /** The init segment in force, for the recording's index; null until known. */
  private CmafRecord.Init currentInit;

  /** Start of the last segment whose index entry carried the init; none yet after a (re)start. */
  private long lastInitCheckpointMillis = Long.MIN_VALUE;

  /** Why video waits for a keyframe with no segment open: the timestamps that went back. */
  private String timelineBreak;

  StreamPackager(PackagerSettings settings) {
    this(settings, Rejections.NONE);
  }

  StreamPackager(PackagerSettings settings, Rejections rejections) {
    this(settings, rejections, new G711Transcoding());
  }

  StreamPackager(PackagerSettings settings, Rejections rejections, G711Transcoding g711) {
    this.settings = settings;
    this.schedule = new PartSchedule(settings.partTarget(), settings.segmentTarget());
    this.rejections = rejections;
    this.g711 = g711;
  }

  /**
   * The recording's index entry of a segment this packager just closed (its {@link Output}): with
   * the init in force when the entry is the first after a new init or after a (re)start, or {@link
   * IndexEntry#INIT_CHECKPOINT_MILLIS} after the last one that carried it.
   */
  IndexEntry indexEntry(CmafRecord.SegmentEnd end, long startMillis) {
    CmafRecord.Init carried = null;
    if (currentInit != null
        && currentInit.init() == end.init()
        && (end.discontinuity()
            || lastInitCheckpointMillis == Long.MIN_VALUE
            || startMillis - lastInitCheckpointMillis >= IndexEntry.INIT_CHECKPOINT_MILLIS)) {
      carried = currentInit;
      lastInitCheckpointMillis = startMillis;
    }
    return IndexEntry.of(end, startMillis, carried);
  }

  /**
   * After {@link #restore}: the init segment in force, read back from the CMAF topic (null when
   * retention has removed it; the index then carries none until the next init).
   */
  void restoredInit(CmafRecord.Init init) {
    if (init != null && init.init() == initId) {
      currentInit = init;
    }
  }

  /** The id of the init in force (the media offset of the keyframe that opened it); -1: none. */
  long initId() {
    return initId;
  }

  long lastOffset() {
    return lastOffset;
  }

  /**
   * Picks up where an earlier packager of this stream stopped, from the tail of its own output: the
   * records after the last segment end (and that segment end, if any), oldest first.
   *
   * @param tail the CMAF records with their timestamps
   * @param mediaAt the media record at an offset (for the codec configuration of the init in force,
   *     and the G.711 history a transcoded audio track resumes from)
   */
  void restore(List<Output> tail, LongFunction<AccessUnit> mediaAt) {
    CmafRecord.Chunk lastAudio = null;
    for (Output o : tail) {
      CmafRecord r = o.record();
      // an init names the keyframe that opened it, whose chunk comes next: not yet packaged
      lastOffset =
          Math.max(
              lastOffset, r instanceof CmafRecord.Init ? r.sourceOffset() - 1 : r.sourceOffset());
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
        case CmafRecord.Init init -> {
          discontinuity = true;
          currentInit = init;
        }
        case CmafRecord.SegmentEnd end -> {
          nextMsn = end.msn() + 1;
          segmentOpen = false;
          discontinuity = false;
          partClosed = false;
        }
        case CmafRecord.PartEnd end -> {
          part = end.part() + 1;
          partIndependent = false;
          partClosed = true;
        }
        case CmafRecord.Chunk c -> {
          restoreChunk(c, o.timestampMillis());
          lastAudio = c.track() == AUDIO_TRACK_ID ? c : lastAudio;
        }
      }
    }
    if (lastAudio != null
        && lastAudio.session().equals(session)
        && lastAudio.timebase() == G711ToAac.SAMPLE_RATE) {
      resumeTranscodedAudio(lastAudio, mediaAt);
    }
  }

  /**
   * If the last audio chunk was made from G.711: the next AAC frame continues the grid of the last
   * one written.
   */
  private void resumeTranscodedAudio(CmafRecord.Chunk lastAudio, LongFunction<AccessUnit> mediaAt) {
    AccessUnit source = mediaAt.apply(lastAudio.sourceOffset());
    if (source == null || source.codec() != Codec.PCMU && source.codec() != Codec.PCMA) {
      return; // camera AAC, or the record is gone: nothing to resume, a G.711 time line would start
      // afresh
    }
    try {
      g711.resumeAt(
          lastAudio.dts() + (long) samplesIn(lastAudio.data()) * G711ToAac.FRAME_SAMPLES, mediaAt);
    } catch (RuntimeException unreadable) {
      // a chunk this packager cannot read back: the time line starts afresh, a few frames short at
      // worst
    }
  }

  /** The sample count of a chunk's track run. */
  private static int samplesIn(byte[] chunk) {
    Mp4Boxes.Box trun = Mp4Boxes.find(Mp4Boxes.parse(chunk), "moof/traf/trun").orElseThrow();
    int at = trun.payloadOffset() + 4; // after version and flags
    return (chunk[at] & 0xFF) << 24
        | (chunk[at + 1] & 0xFF) << 16
        | (chunk[at + 2] & 0xFF) << 8
        | chunk[at + 3] & 0xFF;
  }

  /**
   * The part of the last video chunk replayed by {@link #restore}: a different one starts a part.
   */
  private int restoredPart = -1;

  private void restoreChunk(CmafRecord.Chunk c, long timestampMillis) {
    lastChunkOffset = c.sourceOffset();
    if (c.track() == AUDIO_TRACK_ID) {
      audioInInit = true;
      lastAudioDts = c.dts();
      return;
    }
    partClosed = false;
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
      rejections.reject(
          Rejection.ALREADY_PACKAGED, in, "packaged up to media offset " + lastOffset);
      return List.of();
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
      g711.restart();
      lastVideoDts = Long.MIN_VALUE;
      lastAudioDts = Long.MIN_VALUE;
    }
    boolean initCurrent = Objects.equals(initSession, session);
    if (au.dts() < 0) {
      rejections.reject(
          Rejection.MALFORMED, in, "dts " + au.dts() + " < 0: fMP4 decode times start at 0");
      return;
    }
    if (!au.keyframe() && !initCurrent) {
      rejections.reject(Rejection.BEFORE_FIRST_KEYFRAME, in, null);
      return;
    }
    long ticks =
        lastVideoDts != Long.MIN_VALUE && au.dts() > lastVideoDts
            ? au.dts() - lastVideoDts
            : videoFrameTicks;
    Sample sample;
    try {
      sample = Sample.fromAccessUnit(au, (int) ticks);
    } catch (IllegalArgumentException malformed) {
      // garbage from the camera: this access unit is skipped, nothing else changes
      rejections.reject(Rejection.MALFORMED, in, malformed.getMessage());
      return;
    }
    if (au.keyframe()) {
      boolean configChanged =
          au.codecConfig() != null && !Arrays.equals(au.codecConfig(), videoConfig);
      boolean audioJoined = audio != null && !audioInInit;
      if (!initCurrent || configChanged || audioJoined) {
        TrackFormat video = videoFormat(au);
        if (video == null && !initCurrent) {
          rejections.reject(
              Rejection.NO_PARAMETER_SETS,
              in,
              au.codecConfig() == null
                  ? "none sent"
                  : au.codecConfig().length + " bytes that make no " + au.codec().id() + " track");
          return;
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
      timelineBreak = timestampsJumpedBack.getMessage();
      cut = schedule.next(au.dts(), au.timebase(), au.keyframe());
    }
    switch (cut) {
      case DROP -> {
        // no segment open and not a keyframe: nothing to join (only after timestamps went back)
        rejections.reject(Rejection.TIMESTAMPS_WENT_BACK, in, timelineBreak);
        return;
      }
      case SEGMENT -> {
        if (segmentOpen) {
          closeSegment(in, au.dts(), out);
        }
        openSegment(in);
      }
      case PART -> {
        if (!partClosed) {
          closePart(in, au.dts(), out);
          part++;
        }
        partStartDts = au.dts();
        partIndependent = au.keyframe();
      }
      case NONE -> {
        if (partClosed) { // the part this frame opens was cut before the restore
          partStartDts = au.dts();
          partIndependent = au.keyframe();
        }
      }
    }
    partClosed = false;
    lastVideoDts = au.dts();
    out.add(chunk(in, VIDEO_TRACK_ID, au.dts(), au.timebase(), au.keyframe(), List.of(sample)));
  }

  /**
   * The video track of an init segment for this keyframe, or null if its parameter sets are
   * unusable.
   */
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

  /** The samples of one audio chunk, on their track's clock. */
  private record AudioRun(long dts, int timebase, List<Sample> samples) {}

  private void audio(Input in, List<Output> out) {
    if (!Objects.equals(in.session(), session)) {
      rejections.reject(Rejection.AUDIO_BEFORE_VIDEO, in, null);
      return;
    }
    AudioRun run;
    try {
      run =
          in.au().codec() == Codec.PCMU || in.au().codec() == Codec.PCMA
              ? transcoded(in)
              : cameraAac(in);
    } catch (IllegalArgumentException malformed) {
      rejections.reject(Rejection.MALFORMED, in, malformed.getMessage());
      return;
    } catch (RuntimeException ffmpegFailed) {
      rejections.reject(Rejection.TRANSCODING_FAILED, in, ffmpegFailed.toString());
      return;
    }
    if (run == null) {
      return; // rejected as unsupported
    }
    if (!segmentOpen || !audioInInit) {
      rejections.reject(Rejection.AUDIO_BEFORE_INIT, in, null);
      return;
    }
    if (!run.samples()
        .isEmpty()) { // a G.711 record that completes no AAC frame has nothing to write yet
      out.add(chunk(in, AUDIO_TRACK_ID, run.dts(), run.timebase(), false, run.samples()));
    }
  }

  /**
   * The AAC frames this G.711 record completes (fed even before the track joins: its time line
   * stays warm).
   */
  private AudioRun transcoded(Input in) {
    List<AccessUnit> aac = g711.transcode(in.au(), in.offset());
    if (audio == null) {
      audio = TrackFormat.aac(AUDIO_TRACK_ID, g711.audioSpecificConfig());
    }
    List<Sample> samples = new ArrayList<>(aac.size());
    for (AccessUnit frame : aac) {
      samples.add(Sample.fromAccessUnit(frame, G711ToAac.FRAME_SAMPLES));
    }
    return new AudioRun(aac.isEmpty() ? 0 : aac.getFirst().dts(), G711ToAac.SAMPLE_RATE, samples);
  }

  /** The camera's AAC frame as it is; null if rejected as unsupported. */
  private AudioRun cameraAac(Input in) {
    AccessUnit au = in.au();
    if (au.dts() < 0) {
      throw new IllegalArgumentException("dts " + au.dts() + " < 0: fMP4 decode times start at 0");
    }
    if (audio == null) {
      audio = aacFormat(in);
      if (audio == null) {
        return null;
      }
    }
    if (lastAudioDts != Long.MIN_VALUE && au.dts() > lastAudioDts) {
      audioFrameTicks = au.dts() - lastAudioDts;
    }
    lastAudioDts = au.dts();
    return new AudioRun(
        au.dts(), au.timebase(), List.of(Sample.fromAccessUnit(au, (int) audioFrameTicks)));
  }

  /**
   * The track of a camera's AAC, or null (rejected: unsupported) if its configuration cannot make
   * one.
   */
  private TrackFormat aacFormat(Input in) {
    AccessUnit au = in.au();
    if (au.codec() != Codec.AAC || au.codecConfig() == null) {
      rejections.reject(
          Rejection.UNSUPPORTED_AUDIO,
          in,
          au.codec() == Codec.AAC
              ? "AAC without its AudioSpecificConfig"
              : au.codec().id() + " audio");
      return null;
    }
    try {
      return TrackFormat.aac(AUDIO_TRACK_ID, au.codecConfig()).withTimescale(au.timebase());
    } catch (IllegalArgumentException e) {
      rejections.reject(Rejection.UNSUPPORTED_AUDIO, in, e.getMessage());
      return null;
    }
  }

  /** Closes the G.711 transcoder if the stream sent no G.711 for a while; true if it did. */
  boolean closeIdleAudio(long nowNanos) {
    return g711.closeIfIdle(nowNanos);
  }

  /** Whether this stream's G.711 is being transcoded now. */
  boolean transcodingAudio() {
    return g711.active();
  }

  /** Frees the transcoder's native memory. */
  @Override
  public void close() {
    g711.close();
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
    // the targets travel with the init, so delivery advertises what this packager cuts to
    currentInit =
        new CmafRecord.Init(
            session,
            in.offset(),
            initId,
            codecs,
            video.width(),
            video.height(),
            InitSegment.write(tracks),
            settings.partTarget().toNanos() / 1000,
            settings.segmentTarget().toNanos() / 1000);
    out.add(new Output(currentInit, in.captureMillis()));
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
    out.add(
        new Output(
            new CmafRecord.PartEnd(
                session,
                lastChunkOffset,
                initId,
                msn,
                part,
                micros(endDts - partStartDts),
                partIndependent),
            in.captureMillis()));
  }

  private void closeSegment(Input in, long endDts, List<Output> out) {
    int parts = partClosed ? part : part + 1; // its last part's end written before a restore
    if (!partClosed) {
      closePart(in, endDts, out);
    }
    out.add(
        new Output(
            new CmafRecord.SegmentEnd(
                session,
                lastChunkOffset,
                initId,
                msn,
                micros(endDts - segmentStartDts),
                parts,
                discontinuity),
            segmentCaptureMillis));
    partClosed = false;
    discontinuity = false;
    segmentOpen = false;
    nextMsn = msn + 1;
  }

  private long micros(long ticks) {
    return ticks * 1_000_000L / videoTimebase;
  }

  private Output chunk(
      Input in, int trackId, long dts, int timebase, boolean keyframe, List<Sample> samples) {
    // the fragment sequence number follows the media offset: deterministic across restarts
    byte[] data = Fragment.write((int) in.offset(), List.of(new TrackRun(trackId, dts, samples)));
    lastChunkOffset = in.offset();
    long captureMillis = in.captureMillis();
    if (dts != in.au().dts() || timebase != in.au().timebase()) {
      // the record's time is its first frame's capture time: transcoded frames began before the
      // record completing them
      captureMillis +=
          Math.floorDiv(dts * 1000, timebase)
              - Math.floorDiv(in.au().dts() * 1000, in.au().timebase());
    }
    return new Output(
        new CmafRecord.Chunk(
            session,
            in.offset(),
            initId,
            trackId,
            dts,
            timebase,
            keyframe,
            msn,
            part,
            data,
            in.receivedMicros()),
        captureMillis);
  }
}
