package io.camflow.delivery.play;

import io.camflow.delivery.door.BodyStream;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.StreamingReply;
import io.camflow.delivery.dvr.Clip;
import io.camflow.delivery.dvr.ClipPlans;
import io.camflow.delivery.dvr.RecordingIndex;
import io.camflow.delivery.dvr.TimeQuery;
import io.camflow.media.StreamKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /dvr/<camera>/<stream>/clip.mp4?start=&end=} once {@link DvrDoor} has let the request in:
 * the range as one progressive MP4 (docs/dvr.md, "Export"), planned on the clip executor, sent
 * whole ({@code 200}) or as the one byte range asked ({@code 206}), at most {@link #MAX_CLIPS} at
 * once.
 */
final class ClipExport {

  private static final Logger LOG = LoggerFactory.getLogger(ClipExport.class);

  /** Clips sent at once; one more is refused (503) rather than slowing every other. */
  static final int MAX_CLIPS = 4;

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final RecordingIndex index;
  private final ClipPlans plans;
  private final Executor executor;
  private final Semaphore clipsSent = new Semaphore(MAX_CLIPS);

  ClipExport(RecordingIndex index, ClipPlans plans, Executor executor) {
    this.index = index;
    this.plans = plans;
    this.executor = executor;
  }

  /** Plans the clip on the clip executor and sends it, or answers why not. */
  void start(StreamKey key, Map<String, List<String>> query, String range, Consumer<Reply> answer) {
    if (!(answer instanceof StreamingReply streaming)) {
      answer.accept(Reply.text(500, "this connection cannot take a clip"));
      return;
    }
    if (!clipsSent.tryAcquire()) {
      answer.accept(
          Reply.text(503, "too many clips are being sent; try again")
              .withHeader("Retry-After", "5"));
      return;
    }
    try {
      executor.execute(() -> clip(key, query, range, streaming));
    } catch (RejectedExecutionException e) {
      clipsSent.release();
      answer.accept(Reply.text(503, "clips cannot be sent now").withHeader("Retry-After", "5"));
    }
  }

  /** Plans the clip and starts sending it, or answers why not; holds a permit until it ends. */
  private void clip(
      StreamKey key, Map<String, List<String>> query, String range, StreamingReply answer) {
    boolean sending = false;
    try {
      Instant start = required(query, "start");
      Instant end = required(query, "end");
      if (!end.isAfter(start)) {
        answer.accept(Reply.text(400, "end must be after start"));
        return;
      }
      if (Duration.between(start, end).compareTo(Clip.MAX_RANGE) > 0) {
        answer.accept(
            Reply.text(400, "a clip may span at most " + Clip.MAX_RANGE.toMinutes() + " minutes"));
        return;
      }
      if (index.bounds(key).isEmpty()) {
        answer.accept(DvrDoor.noRecording(key));
        return;
      }
      Optional<Clip> planned = plans.plan(key, start, end);
      if (planned.isEmpty()) {
        answer.accept(Reply.text(404, "nothing of " + key + " is recorded between start and end"));
        return;
      }
      Clip clip = planned.get();
      Reply head = clipHead(clip, start, end);
      ByteRange whole = new ByteRange(0, clip.length() - 1);
      ByteRange sent =
          switch (ByteRange.of(range, clip.length())) {
            case ByteRange.Whole w -> whole;
            case ByteRange.Part p -> p.range();
            case ByteRange.Unsatisfiable u -> null;
          };
      if (sent == null) {
        answer.accept(
            Reply.text(416, "the range is outside the clip's " + clip.length() + " bytes")
                .withHeader("Content-Range", "bytes */" + clip.length()));
        return;
      }
      if (sent != whole) {
        head =
            new Reply(206, head.contentType(), head.cacheControl(), List.of(), head.headers())
                .withHeader("Content-Range", sent.contentRange(clip.length()));
      }
      BodyStream body = answer.stream(head, sent.length());
      sending = true;
      new ClipSender(clip, plans, executor, body, sent.first(), sent.last(), clipsSent::release)
          .step();
    } catch (IllegalArgumentException e) {
      answer.accept(Reply.text(400, e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("clip of {}: {}", key, e.toString());
      answer.accept(Reply.text(503, "the recording cannot be read now; try again"));
    } finally {
      if (!sending) {
        clipsSent.release();
      }
    }
  }

  private static Reply clipHead(Clip clip, Instant start, Instant end) {
    String name =
        clip.key().camera()
            + "-"
            + clip.key().stream()
            + "-"
            + FILE_TIME.format(clip.start())
            + ".mp4";
    Reply head =
        new Reply(200, "video/mp4", "private, max-age=600", List.of())
            .withHeader("Accept-Ranges", "bytes")
            .withHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
    if (clip.start().isAfter(start)) {
      head = head.withHeader("Camflow-Start-Clamped", clip.start().toString());
    }
    if (clip.end().isBefore(end)) {
      head = head.withHeader("Camflow-Clip-End", clip.end().toString());
    }
    return head;
  }

  private static Instant required(Map<String, List<String>> query, String name) {
    return TimeQuery.instant(query, name)
        .orElseThrow(
            () -> new IllegalArgumentException(name + " is required: ?" + name + "=<ISO-8601>"));
  }
}
