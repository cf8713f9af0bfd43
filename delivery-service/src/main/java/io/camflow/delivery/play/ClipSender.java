package io.camflow.delivery.play;

import io.camflow.delivery.door.BodyStream;
import io.camflow.delivery.dvr.Clip;
import io.camflow.delivery.dvr.ClipPlans;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends bytes {@code [first, last]} of a clip: its header's share, then each segment's share, each
 * segment read on the executor only once the previous write has left — one segment in memory per
 * download, and no thread waits for a slow client. A client that takes nothing for {@link #STALL}
 * is dropped.
 */
final class ClipSender {

  private static final Logger LOG = LoggerFactory.getLogger(ClipSender.class);
  static final Duration STALL = Duration.ofSeconds(60);

  private final Clip clip;
  private final ClipPlans plans;
  private final Executor executor;
  private final BodyStream body;
  private final long last;
  private final Runnable done;
  private long next;
  private int piece;

  ClipSender(
      Clip clip,
      ClipPlans plans,
      Executor executor,
      BodyStream body,
      long first,
      long last,
      Runnable done) {
    this.clip = clip;
    this.plans = plans;
    this.executor = executor;
    this.body = body;
    this.next = first;
    this.last = last;
    this.done = done;
  }

  /** Sends the next share; called on the executor. */
  void step() {
    byte[] bytes;
    try {
      if (next > last) {
        body.end();
        done.run();
        return;
      }
      bytes = next < clip.headerLength() ? header() : samples();
    } catch (RuntimeException e) {
      LOG.warn("clip of {}: {}", clip.key(), e.toString());
      stop();
      return;
    }
    next += bytes.length;
    body.write(bytes)
        .toCompletableFuture()
        .orTimeout(STALL.toSeconds(), TimeUnit.SECONDS)
        .whenComplete(
            (v, failure) -> {
              if (failure != null) {
                stop();
                return;
              }
              try {
                executor.execute(this::step);
              } catch (RejectedExecutionException e) {
                stop();
              }
            });
  }

  private byte[] header() {
    int length = (int) Math.min(clip.headerLength() - next, last - next + 1);
    return clip.header((int) next, length);
  }

  private byte[] samples() {
    Clip.Piece p = clip.pieces().get(piece);
    while (next >= p.offset() + p.length()) {
      p = clip.pieces().get(++piece);
    }
    byte[] data = plans.piece(clip, p);
    int from = (int) (next - p.offset());
    int length = (int) Math.min(p.length() - from, last - next + 1);
    return from == 0 && length == data.length
        ? data
        : Arrays.copyOfRange(data, from, from + length);
  }

  private void stop() {
    body.abort();
    done.run();
  }
}
