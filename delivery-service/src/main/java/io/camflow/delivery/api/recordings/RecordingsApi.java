package io.camflow.delivery.api.recordings;

import static io.camflow.delivery.api.JsonReplies.error;
import static io.camflow.delivery.api.JsonReplies.json;

import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.dvr.HourlySummary;
import io.camflow.delivery.dvr.RecordingIndex;
import io.camflow.delivery.dvr.Span;
import io.camflow.delivery.dvr.TimeQuery;
import io.camflow.media.StreamKey;
import io.camflow.media.record.IndexEntry;
import io.camflow.options.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/recordings/{camera}/{stream}?from=&to=}: what is recorded of a stream between
 * two instants — its continuous spans (a gap where the camera was offline, the stream not pulled,
 * or its session changed), one figure per hour, the oldest and newest recorded instant and the
 * retention (docs/dvr.md, docs/api.md). Needs {@code camera:<id>:dvr} (checked by {@code
 * ApiRequests} before this is called).
 *
 * <p>{@code GET /api/v1/recordings?at=&streams=a/main,b/main}: one instant across several streams,
 * so players of several cameras start in step: per stream, the segment holding the instant and how
 * far into it, or the next recorded instant. A stream whose camera the caller may not watch
 * recordings of is answered as one that is not recorded. Reads the recordings' index topics, on the
 * API executor.
 */
public final class RecordingsApi {

  private static final Logger LOG = LoggerFactory.getLogger(RecordingsApi.class);

  /** Longest range one call may ask for. */
  public static final Duration MAX_RANGE = Duration.ofDays(31);

  /** Most streams one instant call may name. */
  public static final int MAX_STREAMS = 16;

  /** The range when the call names none: the last day. */
  static final Duration DEFAULT_RANGE = Duration.ofDays(1);

  private final RecordingIndex index;
  private final Executor executor;
  private final Clock clock;

  public RecordingsApi(RecordingIndex index, Executor executor, Clock clock) {
    this.index = index;
    this.executor = executor;
    this.clock = clock;
  }

  /** Whether the path segments after /api/v1/ are a recordings call. */
  public static boolean serves(List<String> seg) {
    return !seg.isEmpty() && seg.get(0).equals("recordings");
  }

  /**
   * The stream a recordings call is about, when its path names one validly: the permission to check
   * ({@code dvr} of its camera) depends on it.
   */
  public static Optional<StreamKey> stream(List<String> seg) {
    if (seg.size() != 3
        || !StreamKey.isValidPart(seg.get(1))
        || !StreamKey.isValidPart(seg.get(2))) {
      return Optional.empty();
    }
    return Optional.of(new StreamKey(seg.get(1), seg.get(2)));
  }

  public void handle(
      String method,
      List<String> seg,
      Map<String, List<String>> query,
      Caller caller,
      Consumer<Reply> answer) {
    Optional<StreamKey> key = stream(seg);
    if (key.isEmpty() && seg.size() != 1) {
      answer.accept(error(404, "no such API path; expected /api/v1/recordings/<camera>/<stream>"));
      return;
    }
    if (!method.equals("GET")) {
      answer.accept(error(405, "only GET"));
      return;
    }
    if (key.isEmpty()) {
      instant(query, caller, answer);
      return;
    }
    Instant to;
    Instant from;
    try {
      to = TimeQuery.instant(query, "to").orElseGet(clock::instant);
      from = TimeQuery.instant(query, "from").orElse(to.minus(DEFAULT_RANGE));
    } catch (IllegalArgumentException e) {
      answer.accept(error(400, e.getMessage()));
      return;
    }
    if (!to.isAfter(from)) {
      answer.accept(error(400, "to must be after from"));
      return;
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      answer.accept(
          error(
              400,
              "the range may span at most "
                  + MAX_RANGE.toDays()
                  + " days; ask for several ranges (per-hour figures are in each answer)"));
      return;
    }
    try {
      executor.execute(() -> answer.accept(recordings(key.get(), from, to)));
    } catch (RejectedExecutionException e) {
      answer.accept(error(503, "the server is shutting down"));
    }
  }

  private void instant(Map<String, List<String>> query, Caller caller, Consumer<Reply> answer) {
    Instant at;
    List<StreamKey> keys;
    try {
      at =
          TimeQuery.instant(query, "at")
              .orElseThrow(() -> new IllegalArgumentException("at is required: ?at=<ISO-8601>"));
      keys = streams(query);
    } catch (IllegalArgumentException e) {
      answer.accept(error(400, e.getMessage()));
      return;
    }
    try {
      executor.execute(() -> answer.accept(instant(at, keys, caller)));
    } catch (RejectedExecutionException e) {
      answer.accept(error(503, "the server is shutting down"));
    }
  }

  /** The {@code streams} parameter: camera/stream names, comma-separated, each once. */
  static List<StreamKey> streams(Map<String, List<String>> query) {
    List<String> given = query.get("streams");
    if (given == null || given.size() != 1 || given.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "streams is required, once: ?streams=<camera>/<stream>,<camera>/<stream>");
    }
    List<StreamKey> keys = new ArrayList<>();
    for (String name : given.get(0).split(",", -1)) {
      String[] parts = name.strip().split("/", -1);
      if (parts.length != 2
          || !StreamKey.isValidPart(parts[0])
          || !StreamKey.isValidPart(parts[1])) {
        throw new IllegalArgumentException("streams: '" + name + "' is not <camera>/<stream>");
      }
      StreamKey k = new StreamKey(parts[0], parts[1]);
      if (!keys.contains(k)) {
        keys.add(k);
      }
    }
    if (keys.size() > MAX_STREAMS) {
      throw new IllegalArgumentException("streams: at most " + MAX_STREAMS + " in one call");
    }
    return keys;
  }

  private Reply instant(Instant at, List<StreamKey> keys, Caller caller) {
    try {
      List<Map<String, Object>> out = new ArrayList<>();
      for (StreamKey key : keys) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("camera", key.camera());
        j.put("stream", key.stream());
        Optional<IndexEntry> e =
            caller.may(key.camera(), Caller.DVR) ? index.at(key, at) : Optional.empty();
        boolean holds = e.isPresent() && e.get().startMillis() <= at.toEpochMilli();
        j.put("recorded", holds);
        if (holds) {
          Map<String, Object> segment = new LinkedHashMap<>();
          segment.put("msn", e.get().msn());
          segment.put("start", Instant.ofEpochMilli(e.get().startMillis()).toString());
          segment.put("end", Instant.ofEpochMilli(e.get().endMillis()).toString());
          j.put("segment", segment);
          j.put("offset", (at.toEpochMilli() - e.get().startMillis()) / 1000.0);
          j.put(
              "playlist", "/dvr/" + key.camera() + "/" + key.stream() + "/index.m3u8?start=" + at);
        } else if (e.isPresent()) {
          j.put("next", Instant.ofEpochMilli(e.get().startMillis()).toString());
        }
        out.add(j);
      }
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("at", at.toString());
      reply.put("streams", out);
      return json(200, reply);
    } catch (RuntimeException e) {
      LOG.warn("recordings at {}: {}", at, e.toString());
      return error(503, "the recordings' index cannot be read now; try again");
    }
  }

  private Reply recordings(StreamKey key, Instant from, Instant to) {
    try {
      Optional<RecordingIndex.Bounds> bounds = index.bounds(key);
      if (bounds.isEmpty()) {
        return error(
            404,
            key
                + " has no recording: unknown stream, or never pulled since it was added"
                + " (recording needs mode: always; docs/dvr.md)");
      }
      Span.Builder spans = new Span.Builder();
      HourlySummary hours = new HourlySummary(from, to);
      index.read(
          key,
          from,
          to,
          e -> {
            spans.add(e);
            hours.add(e);
          });
      RecordingIndex.Bounds b = bounds.get();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("camera", key.camera());
      out.put("stream", key.stream());
      out.put("from", from.toString());
      out.put("to", to.toString());
      out.put("retention", Durations.format(index.retention(key)));
      out.put("oldest", Instant.ofEpochMilli(b.oldest().startMillis()).toString());
      out.put("newest", Instant.ofEpochMilli(b.newest().endMillis()).toString());
      List<Map<String, Object>> spanList = new ArrayList<>();
      for (Span s : spans.spans()) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("start", s.start().toString());
        j.put("end", s.end().toString());
        j.put("seconds", s.duration().toMillis() / 1000.0);
        j.put("segments", s.segments());
        spanList.add(j);
      }
      out.put("spans", spanList);
      out.put(
          "hours",
          hours.hours().stream()
              .map(
                  h ->
                      Map.<String, Object>of(
                          "start",
                          h.start().toString(),
                          "recordedSeconds",
                          h.recorded().toMillis() / 1000.0))
              .toList());
      return json(200, out);
    } catch (RuntimeException e) {
      LOG.warn("recordings of {}: {}", key, e.toString());
      return error(503, "the recording's index cannot be read now; try again");
    }
  }
}
