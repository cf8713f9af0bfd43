package io.camflow.delivery.gop;

import io.camflow.media.Codec;
import io.camflow.media.record.MediaRecordFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Where a stream's GOP cache starts in its media topic: the latest video keyframe, found by reading
 * back from the end in growing steps (only the headers are looked at; nothing is kept). The topic
 * is the GOP cache: a viewer of a warm stream starts from there instead of waiting for the camera's
 * next IDR.
 */
public final class KeyframeSeek {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final int FIRST_STEP = 128;

  /**
   * Beyond this many records back (a GOP of minutes), start at the end and wait for the next
   * keyframe.
   */
  static final int MAX_BACK = 8_192;

  private KeyframeSeek() {}

  /** The offset of the latest video keyframe, or the end offset if there is none close enough. */
  static long latestKeyframe(Consumer<byte[], byte[]> consumer, TopicPartition tp) {
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    int step = FIRST_STEP;
    for (long to = end; to > begin && end - to < MAX_BACK; step *= 2) {
      long from = Math.max(begin, Math.max(end - MAX_BACK, to - step));
      long found = lastKeyframeIn(consumer, tp, from, to);
      if (found >= 0) {
        return found;
      }
      to = from;
    }
    return end;
  }

  private static long lastKeyframeIn(
      Consumer<byte[], byte[]> consumer, TopicPartition tp, long from, long to) {
    consumer.seek(tp, from);
    long found = -1;
    int emptyPolls = 0;
    while (consumer.position(tp) < to && emptyPolls < 25) {
      var batch = consumer.poll(POLL);
      emptyPolls = batch.isEmpty() ? emptyPolls + 1 : 0;
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        if (r.offset() < to && isVideoKeyframe(r)) {
          found = r.offset();
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
