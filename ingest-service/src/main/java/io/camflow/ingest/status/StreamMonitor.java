package io.camflow.ingest.status;

import io.camflow.media.VideoFormat;
import io.camflow.registry.StreamState;
import io.camflow.registry.StreamStatus;
import java.time.Clock;
import java.time.Duration;

/**
 * Tracks one stream's state and statistics and reports them to a {@link StatusListener}: on every
 * state change at once, and while streaming every {@code statsInterval}. Used from the stream's
 * pulling thread only.
 */
public final class StreamMonitor {

  private final String stream;
  private final String instance;
  private final StatusListener listener;
  private final Duration statsInterval;
  private final Clock clock;

  private StreamState state;
  private long since;
  private String session;
  private VideoFormat format;
  private String lastError;
  private long nextRetryAt;
  private long connects, failures, authFailures, accessUnits, keyframes, bytes;

  private long intervalStart;
  private long intervalFrames, intervalBytes;
  private double fps, bitrateKbps;

  public StreamMonitor(
      String stream,
      String instance,
      StatusListener listener,
      Duration statsInterval,
      Clock clock) {
    this.stream = stream;
    this.instance = instance;
    this.listener = listener;
    this.statsInterval = statsInterval;
    this.clock = clock;
  }

  public void state(StreamState next) {
    if (next == state) {
      return;
    }
    state = next;
    since = clock.millis();
    if (next != StreamState.OFFLINE && next != StreamState.AUTH_FAILED) {
      nextRetryAt = 0;
    }
    if (next != StreamState.STREAMING) {
      fps = 0;
      bitrateKbps = 0;
    }
    publish();
  }

  public void connecting(String newSession) {
    session = newSession;
    connects++;
    state(StreamState.CONNECTING);
  }

  public void streaming() {
    lastError = null;
    intervalStart = clock.millis();
    intervalFrames = 0;
    intervalBytes = 0;
    state(StreamState.STREAMING);
  }

  public void failed(String reason, String message, boolean auth, long retryAt) {
    failures++;
    if (auth) {
      authFailures++;
    }
    lastError = reason + ": " + message;
    nextRetryAt = retryAt;
    StreamState next = auth ? StreamState.AUTH_FAILED : StreamState.OFFLINE;
    if (next == state) {
      publish(); // same state, new error and retry time
    } else {
      state(next);
    }
  }

  public void format(VideoFormat next) {
    if (!next.equals(format)) {
      format = next;
      publish();
    }
  }

  /** Counts one access unit; publishes statistics when the interval has passed. */
  public void accessUnit(int size, boolean keyframe, boolean video) {
    accessUnits++;
    bytes += size;
    intervalBytes += size;
    if (video) {
      intervalFrames++;
    }
    if (keyframe) {
      keyframes++;
    }
    long now = clock.millis();
    long elapsed = now - intervalStart;
    if (elapsed >= statsInterval.toMillis()) {
      fps = intervalFrames * 1000.0 / elapsed;
      bitrateKbps = intervalBytes * 8.0 / elapsed;
      intervalStart = now;
      intervalFrames = 0;
      intervalBytes = 0;
      publish();
    }
  }

  public StreamStatus snapshot() {
    return new StreamStatus(
        stream,
        state == null ? null : state.id(),
        since,
        session,
        format == null ? null : format.codec().id(),
        format == null ? null : format.codecString(),
        format == null ? 0 : format.width(),
        format == null ? 0 : format.height(),
        round2(fps),
        round2(bitrateKbps),
        lastError,
        nextRetryAt,
        new StreamStatus.Counters(connects, failures, authFailures, accessUnits, keyframes, bytes),
        instance,
        clock.millis());
  }

  private void publish() {
    listener.onStatus(snapshot());
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
