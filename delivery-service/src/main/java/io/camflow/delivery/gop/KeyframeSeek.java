package io.camflow.delivery.gop;

import io.camflow.media.Codec;
import io.camflow.media.record.MediaRecordFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Where a stream's GOP cache starts in its media topic: the latest video keyframe, found by reading
 * back from the end in growing steps (only the headers are looked at). The topic is the GOP cache:
 * a viewer of a warm stream starts from there instead of waiting for the camera's next IDR. A
 * picture of a recorded instant finds its keyframe the same way ({@link #lastKeyframeBefore}).
 */
public final class KeyframeSeek {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final int FIRST_STEP = 128;

  /**
   * Beyond this many records back (a GOP of minutes), there is no keyframe to start at: the live
   * feed starts at the end and waits for the next one, a picture of the past is not there.
   */
  public static final int MAX_BACK = 8_192;

  private KeyframeSeek() {}

  /** The offset of the latest video keyframe, or the end offset if there is none close enough. */
  static long latestKeyframe(Consumer<byte[], byte[]> consumer, TopicPartition tp) {
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    ConsumerRecord<byte[], byte[]> found = lastKeyframeBefore(consumer, tp, end, r -> true);
    return found == null ? end : found.offset();
  }

  /**
   * The last video keyframe before offset {@code to} that {@code accept} takes, read back from
   * {@code to} in growing steps, at most {@link #MAX_BACK} records; null if there is none. The
   * consumer must have {@code tp} assigned; its position is left wherever the reading ended.
   */
  public static ConsumerRecord<byte[], byte[]> lastKeyframeBefore(
      Consumer<byte[], byte[]> consumer,
      TopicPartition tp,
      long to,
      Predicate<ConsumerRecord<byte[], byte[]>> accept) {
    long floor = Math.max(consumer.beginningOffsets(List.of(tp)).get(tp), to - MAX_BACK);
    int step = FIRST_STEP;
    for (long upTo = to; upTo > floor; step *= 2) {
      long from = Math.max(floor, upTo - step);
      ConsumerRecord<byte[], byte[]> found = lastKeyframeIn(consumer, tp, from, upTo, accept);
      if (found != null) {
        return found;
      }
      upTo = from;
    }
    return null;
  }

  private static ConsumerRecord<byte[], byte[]> lastKeyframeIn(
      Consumer<byte[], byte[]> consumer,
      TopicPartition tp,
      long from,
      long to,
      Predicate<ConsumerRecord<byte[], byte[]>> accept) {
    consumer.seek(tp, from);
    ConsumerRecord<byte[], byte[]> found = null;
    int emptyPolls = 0;
    while (consumer.position(tp) < to && emptyPolls < 25) {
      var batch = consumer.poll(POLL);
      emptyPolls = batch.isEmpty() ? emptyPolls + 1 : 0;
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        if (r.offset() < to && isVideoKeyframe(r) && accept.test(r)) {
          found = r;
        }
      }
    }
    return found;
  }

  /** Whether a media topic record is a video keyframe (its headers say so). */
  public static boolean isVideoKeyframe(ConsumerRecord<byte[], byte[]> r) {
    Header keyframe = r.headers().lastHeader(MediaRecordFormat.KEYFRAME);
    Header codec = r.headers().lastHeader(MediaRecordFormat.CODEC);
    if (keyframe == null || codec == null) {
      return false;
    }
    if (!"true".equals(new String(keyframe.value(), StandardCharsets.UTF_8))) {
      return false;
    }
    try {
      return Codec.fromId(new String(codec.value(), StandardCharsets.UTF_8)).isVideo();
    } catch (IllegalArgumentException e) {
      return false; // not a record of ours: the feed logs it when it gets there
    }
  }
}
