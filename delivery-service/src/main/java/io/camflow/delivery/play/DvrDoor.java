package io.camflow.delivery.play;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.auth.StreamTokens;
import io.camflow.delivery.door.Credentials;
import io.camflow.delivery.door.Door;
import io.camflow.delivery.door.Refusals;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.delivery.dvr.ClipPlans;
import io.camflow.delivery.dvr.DvrPlaylist;
import io.camflow.delivery.dvr.RecordedMedia;
import io.camflow.delivery.dvr.RecordedThumbnails;
import io.camflow.delivery.dvr.RecordingIndex;
import io.camflow.delivery.dvr.TimeQuery;
import io.camflow.media.StreamKey;
import io.camflow.media.hls.HlsNames;
import io.camflow.media.hls.HlsResource;
import io.camflow.media.record.IndexEntry;
import io.camflow.media.record.Thumbnail;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Playback of recordings: {@code /dvr/<camera>/<stream>/index.m3u8?start=&[end=]} (an HLS VOD
 * playlist of the range, or an EVENT playlist from {@code start} to the live edge), the init
 * segments and segments it names, read from Kafka, and {@code clip.mp4?start=&end=}, the range as
 * one progressive MP4 with byte ranges (docs/dvr.md), and {@code thumbnail.jpg?at=}, the timeline
 * thumbnail taken nearest an instant (docs/pictures.md). Needs {@code camera:<id>:dvr}: the
 * playlist and thumbnails a user's token with it; its media URIs carry a DVR stream token, which
 * opens that stream's recording and nothing live. Reads run on the DVR executor, clips on their
 * own, never on an event loop.
 */
public final class DvrDoor implements Door {

  private static final Logger LOG = LoggerFactory.getLogger(DvrDoor.class);
  public static final String DVR = "/dvr/";

  /** Longest stretch one playlist may cover (about 10,800 segments of 2 s). */
  public static final Duration MAX_RANGE = Duration.ofHours(6);

  /** The name of a range's clip. */
  public static final String CLIP = "clip.mp4";

  /** The name of a recording's timeline thumbnails. */
  public static final String THUMBNAIL = "thumbnail.jpg";

  private final RecordingIndex index;
  private final RecordedMedia media;
  private final RecordedThumbnails thumbnails;
  private final Access access;
  private final Executor executor;
  private final ClipExport clips;
  private final Clock clock;

  /**
   * @param executor reads playlists and segments
   * @param clipExecutor plans and reads clips
   */
  public DvrDoor(
      RecordingIndex index,
      RecordedMedia media,
      RecordedThumbnails thumbnails,
      Access access,
      Executor executor,
      Executor clipExecutor,
      Clock clock) {
    this.index = index;
    this.media = media;
    this.thumbnails = thumbnails;
    this.clips = new ClipExport(index, new ClipPlans(index, media, clock), clipExecutor);
    this.access = access;
    this.executor = executor;
    this.clock = clock;
  }

  public static boolean serves(String path) {
    return path.startsWith(DVR);
  }

  @Override
  public void handle(Request request, Consumer<Reply> answer) {
    String[] parts = request.path().substring(DVR.length()).split("/", -1);
    boolean clip = parts.length == 3 && parts[2].equals(CLIP);
    boolean thumbnail = parts.length == 3 && parts[2].equals(THUMBNAIL);
    Optional<HlsResource> resource =
        parts.length == 3 && !clip && !thumbnail ? HlsNames.parse(parts[2]) : Optional.empty();
    if (!clip && !thumbnail && (resource.isEmpty() || resource.get() instanceof HlsResource.Part)
        || parts.length != 3
        || !StreamKey.isValidPart(parts[0])
        || !StreamKey.isValidPart(parts[1])) {
      answer.accept(Reply.text(404, "not found"));
      return;
    }
    Map<String, List<String>> query;
    try {
      query =
          request.uri().indexOf('?') < 0
              ? Map.of()
              : new QueryStringDecoder(request.uri()).parameters();
    } catch (IllegalArgumentException e) {
      answer.accept(Reply.text(400, "the query is not valid URL encoding"));
      return;
    }
    StreamKey key = new StreamKey(parts[0], parts[1]);
    Runnable serve =
        clip
            ? () -> clips.start(key, query, request.range(), answer)
            : thumbnail
                ? () -> run(() -> thumbnail(key, query, answer), answer)
                : () -> run(() -> read(key, resource.get(), query, answer), answer);
    if (!access.enabled()) {
      serve.run();
      return;
    }
    List<String> st = query.get(StreamTokens.PARAM);
    boolean mediaRequest = clip || !thumbnail && !(resource.get() instanceof HlsResource.Playlist);
    if (mediaRequest
        && st != null
        && st.size() == 1
        && validStreamToken(st.get(0), key, clip, query)) {
      serve.run();
      return;
    }
    String token = Credentials.token(request.authorization(), query);
    if (token == null && st != null) {
      answer.accept(
          Refusals.reply(
              access.refuse(request.client(), 401, "the stream token is not valid for this URL")));
      return;
    }
    access
        .check(request.client(), token, c -> c.may(key.camera(), Caller.DVR))
        .thenAccept(
            v -> {
              if (v instanceof Access.Refused refused) {
                answer.accept(Refusals.reply(refused));
              } else {
                serve.run();
              }
            });
  }

  /**
   * Whether a recording's stream token opens what is asked: a segment or init (its {@code at}) or a
   * clip ({@code start} to {@code end}) inside the range of the playlist that gave the token.
   */
  private boolean validStreamToken(
      String token, StreamKey key, boolean clip, Map<String, List<String>> query) {
    try {
      long from;
      long to;
      if (clip) {
        from = TimeQuery.instant(query, "start").orElseThrow().toEpochMilli();
        to = TimeQuery.instant(query, "end").orElseThrow().toEpochMilli();
      } else {
        from = to = millis(query);
      }
      return access.streamTokens().validDvr(token, key, from, to);
    } catch (RuntimeException e) {
      return false; // no range to check: the user's token decides
    }
  }

  private void run(Runnable task, Consumer<Reply> answer) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      answer.accept(
          Reply.text(503, "too many recording requests; try again").withHeader("Retry-After", "1"));
    }
  }

  static Reply noRecording(StreamKey key) {
    return Reply.text(404, key + " has no recording (recording needs mode: always; docs/dvr.md)");
  }

  /** The thumbnail nearest {@code ?at=}: 404 when none was taken within a minute of it. */
  private void thumbnail(StreamKey key, Map<String, List<String>> query, Consumer<Reply> answer) {
    try {
      Instant at =
          TimeQuery.instant(query, "at")
              .orElseThrow(() -> new IllegalArgumentException("at is required: ?at=<ISO-8601>"));
      Optional<Thumbnail> t = thumbnails.nearest(key, at);
      if (t.isEmpty()) {
        answer.accept(
            Reply.text(
                404,
                "no thumbnail of "
                    + key
                    + " within "
                    + RecordedThumbnails.NEAREST.toSeconds()
                    + " s of "
                    + at
                    + " (nothing recorded then, or packager.thumbnails is off)"));
        return;
      }
      Instant taken = Instant.ofEpochMilli(t.get().captureMillis());
      // the nearest thumbnail of an instant a minute past stays the nearest: a later one is further
      boolean settled =
          taken.isBefore(clock.instant().minus(RecordedThumbnails.NEAREST.multipliedBy(2)))
              && at.isBefore(clock.instant().minus(RecordedThumbnails.NEAREST));
      answer.accept(
          new Reply(
                  200,
                  "image/jpeg",
                  settled ? "private, max-age=86400" : Reply.NO_CACHE,
                  List.of(t.get().jpeg()))
              .withHeader("Camflow-Capture-Time", taken.toString()));
    } catch (IllegalArgumentException e) {
      answer.accept(Reply.text(400, e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("thumbnails of {}: {}", key, e.toString());
      answer.accept(Reply.text(503, "the recording cannot be read now; try again"));
    }
  }

  private void read(
      StreamKey key, HlsResource r, Map<String, List<String>> query, Consumer<Reply> answer) {
    try {
      answer.accept(
          switch (r) {
            case HlsResource.Playlist p -> playlist(key, query);
            case HlsResource.Init i -> init(key, i.number(), query);
            case HlsResource.Segment s -> segment(key, s.msn(), query);
            default -> Reply.text(404, "not found");
          });
    } catch (IllegalArgumentException e) {
      answer.accept(Reply.text(400, e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("recording of {}: {}", key, e.toString());
      answer.accept(Reply.text(503, "the recording cannot be read now; try again"));
    }
  }

  private Reply playlist(StreamKey key, Map<String, List<String>> query) {
    Instant start =
        TimeQuery.instant(query, "start")
            .orElseThrow(
                () -> new IllegalArgumentException("start is required: ?start=<ISO-8601>"));
    Optional<Instant> end = TimeQuery.instant(query, "end");
    Instant until = end.orElseGet(clock::instant);
    if (end.isPresent() && !end.get().isAfter(start)) {
      return Reply.text(400, "end must be after start");
    }
    if (Duration.between(start, until).compareTo(MAX_RANGE) > 0) {
      return Reply.text(
          400,
          "a playlist may span at most "
              + MAX_RANGE.toHours()
              + " hours from start"
              + (end.isPresent() ? "" : " to now")
              + "; ask for a later start or an end");
    }
    Optional<RecordingIndex.Bounds> bounds = index.bounds(key);
    if (bounds.isEmpty()) {
      return noRecording(key);
    }
    List<IndexEntry> entries = new ArrayList<>();
    index.read(key, start, until, entries::add);
    if (entries.isEmpty()) {
      return Reply.text(404, "nothing of " + key + " is recorded between start and end");
    }
    String uriQuery =
        access.enabled()
            ? access
                .streamTokens()
                .dvrQuery( // from what was asked (a clip of it), or earlier: the first keyframe
                    key,
                    Math.min(start.toEpochMilli(), entries.get(0).startMillis()),
                    end.map(Instant::toEpochMilli).orElse(0L))
            : "";
    Instant oldest = Instant.ofEpochMilli(bounds.get().oldest().startMillis());
    Reply reply =
        new Reply(
            200,
            HlsNames.PLAYLIST_CONTENT_TYPE,
            Reply.NO_CACHE,
            List.of(
                DvrPlaylist.of(entries, start, end.isEmpty(), uriQuery)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return start.isBefore(oldest)
        ? reply.withHeader("Camflow-Start-Clamped", oldest.toString())
        : reply;
  }

  private Reply init(StreamKey key, long init, Map<String, List<String>> query) {
    long at = millis(query);
    return media
        .init(key, init, at)
        .map(i -> media(i.data()))
        .orElseGet(() -> Reply.text(404, "init segment " + init + " of " + key + " is not kept"));
  }

  private Reply segment(StreamKey key, long msn, Map<String, List<String>> query) {
    long at = millis(query);
    return media
        .segment(key, msn, at)
        .map(DvrDoor::media)
        .orElseGet(() -> Reply.text(404, "segment " + msn + " of " + key + " is not recorded"));
  }

  /** A recorded resource never changes: cacheable by the browser for as long as it is kept. */
  private static Reply media(byte[] bytes) {
    return new Reply(200, HlsNames.MEDIA_CONTENT_TYPE, "private, max-age=3600", List.of(bytes));
  }

  static long millis(Map<String, List<String>> query) {
    List<String> v = query.get("at");
    if (v == null || v.size() != 1 || !v.get(0).matches("\\d{1,15}")) {
      throw new IllegalArgumentException("at: the segment's start in ms, as the playlist gives it");
    }
    return Long.parseLong(v.get(0));
  }
}
