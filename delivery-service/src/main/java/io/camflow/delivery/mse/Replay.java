package io.camflow.delivery.mse;

import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The recorded side of one MSE viewer, on its event loop (docs/mse.md, "Recordings"): after a seek,
 * recorded segments are read one at a time on the DVR executor and queued for the socket while the
 * client's reported position is less than {@link #lead()} behind what was sent, so a paused or slow
 * client holds at most that much and the server reads no faster than the client plays. Each step's
 * answer comes back to the event loop; a seek or go-live in between makes it stale (a generation
 * count), and it is dropped.
 */
final class Replay {

  /** Media seconds sent ahead of the client's position at 1×. */
  static final double LEAD_SECONDS = 6;

  /** Above this rate only each segment's keyframe is sent. */
  static final double KEYFRAMES_ONLY_ABOVE = 4;

  static final double MIN_RATE = 0.5;
  static final double MAX_RATE = 8;

  /** How long to wait before asking again at the recording's edge, or after a failed read. */
  static final long RETRY_MILLIS = 1_000;

  /** What the replay needs of its viewer; every call on the viewer's event loop. */
  interface Viewer {
    /** Queues an event, an init segment or a recorded segment. */
    void send(ViewerQueue.Item item);

    /** Whether the socket took what was queued (nothing waits in the viewer's queue). */
    boolean idle();

    /** Writes what is queued. */
    void flush();

    /** Runs {@code task} on the event loop after {@code millis}. */
    void later(Runnable task, long millis);

    /** Runs {@code task} on the event loop now or soon. */
    void soon(Runnable task);

    /** Whether the viewer may play {@code codecs}; false ends it (unsupported codec). */
    boolean accepts(MseInit init);
  }

  private final RecordedPlayback reader;
  private final Executor executor;
  private final Viewer viewer;

  private int generation;
  private boolean active;
  private boolean busy;

  /** At the edge or after a failed read: nothing is read until the retry. */
  private boolean resting;

  private boolean edgeTold;
  private double rate = 1;
  private double position = Double.NaN;
  private double sentEnd = Double.NaN;

  /** Media time of the segment the last seek began with. */
  private double startTime = Double.NaN;

  Replay(RecordedPlayback reader, Executor executor, Viewer viewer) {
    this.reader = reader;
    this.executor = executor;
    this.viewer = viewer;
  }

  /** Plays the recording from {@code at}: what was sent before is of no use any more. */
  void seek(Instant at) {
    generation++;
    active = true;
    busy = false;
    resting = false;
    edgeTold = false;
    position = Double.NaN;
    sentEnd = Double.NaN;
    read(at);
  }

  private void read(Instant at) {
    boolean keyframesOnly = keyframesOnly();
    step(r -> r.seek(at, keyframesOnly), at);
  }

  /** Stops (go live, the viewer gone): an answer still under way is dropped. */
  void stop() {
    generation++;
    active = false;
    busy = false;
    resting = false;
  }

  boolean active() {
    return active;
  }

  /** The playback rate the client uses; above 4× segments are sent as keyframes only. */
  void rate(double rate) {
    this.rate = rate;
    pump();
  }

  /** Where the client's player is, in media time (seconds): more may be sent. */
  void position(double time) {
    position = time;
    pump();
  }

  /** The socket took what was queued: more may be sent. */
  void writable() {
    pump();
  }

  /** How far ahead of the client's position segments are sent, in media seconds. */
  double lead() {
    return LEAD_SECONDS * Math.max(1, rate);
  }

  private boolean keyframesOnly() {
    return rate > KEYFRAMES_ONLY_ABOVE;
  }

  private void pump() {
    if (!active || busy || resting || !viewer.idle() || Double.isNaN(sentEnd)) {
      return;
    }
    if (!Double.isNaN(position) && sentEnd - position >= lead()) {
      return;
    }
    if (Double.isNaN(position) && sentEnd - startTime >= lead()) {
      return; // no position reported yet: a lead's worth from the start
    }
    boolean keyframesOnly = keyframesOnly();
    step(r -> r.next(keyframesOnly), null);
  }

  /** Runs one read on the executor; its answer is taken on the event loop. */
  private void step(Function<RecordedPlayback, RecordedPlayback.Step> read, Instant seekAt) {
    busy = true;
    int g = generation;
    try {
      executor.execute(
          () -> {
            RecordedPlayback.Step s;
            try {
              s = read.apply(reader);
            } catch (RuntimeException e) {
              viewer.soon(() -> failed(g, e, seekAt));
              return;
            }
            viewer.soon(() -> answered(g, s, seekAt));
          });
    } catch (RejectedExecutionException busyExecutor) {
      busy = false;
      resting = true;
      viewer.later(() -> retry(g, seekAt), RETRY_MILLIS);
    }
  }

  private void retry(int g, Instant seekAt) {
    if (g != generation || !active) {
      return;
    }
    resting = false;
    if (seekAt != null) {
      read(seekAt); // the same seek again
    } else {
      pump();
    }
  }

  private void failed(int g, RuntimeException e, Instant seekAt) {
    if (g != generation) {
      return;
    }
    busy = false;
    resting = true;
    viewer.send(new ViewerQueue.Text(MseMessages.stalled(e.getMessage())));
    viewer.flush();
    viewer.later(() -> retry(g, seekAt), RETRY_MILLIS);
  }

  private void answered(int g, RecordedPlayback.Step step, Instant seekAt) {
    if (g != generation) {
      return;
    }
    busy = false;
    switch (step) {
      case RecordedPlayback.NotRecorded n -> {
        active = false;
        viewer.send(
            new ViewerQueue.Text(
                MseMessages.refused(
                    "not-recorded",
                    seekAt == null
                        ? "the recording ends here"
                        : "nothing of " + reader.key() + " is recorded from " + seekAt + " on")));
        viewer.flush();
      }
      case RecordedPlayback.Edge e -> {
        resting = true;
        if (!edgeTold) {
          edgeTold = true;
          viewer.send(new ViewerQueue.Text(MseMessages.edge()));
          viewer.flush();
        }
        viewer.later(() -> retry(g, null), RETRY_MILLIS);
      }
      case RecordedPlayback.Segment s -> segment(s, seekAt);
    }
  }

  private void segment(RecordedPlayback.Segment s, Instant seekAt) {
    if (s.init() != null) {
      if (!viewer.accepts(s.init())) {
        return;
      }
      viewer.send(new ViewerQueue.Text(MseMessages.init(s.init().codecs())));
      viewer.send(new ViewerQueue.Init(s.init()));
    }
    Instant start = Instant.ofEpochMilli(s.entry().startMillis());
    if (s.retentionTook()) {
      viewer.send(new ViewerQueue.Text(MseMessages.retention(start)));
    }
    if (seekAt != null || s.retentionTook()) {
      Instant shown = seekAt == null || seekAt.isBefore(start) ? start : seekAt;
      double time = s.time() + (shown.toEpochMilli() - start.toEpochMilli()) / 1000.0;
      viewer.send(
          new ViewerQueue.Text(
              MseMessages.recording(shown, time, seekAt != null && seekAt.isBefore(start))));
      startTime = s.time();
      if (s.retentionTook()) {
        position = Double.NaN; // the client's position was on the part that is gone
      }
    }
    double duration = s.entry().durationMicros() / 1_000_000.0;
    viewer.send(new ViewerQueue.Text(MseMessages.segment(start, s.time(), duration)));
    viewer.send(ViewerQueue.Recorded.of(s.data()));
    sentEnd = s.time() + duration;
    edgeTold = false;
    viewer.flush();
    pump();
  }
}
