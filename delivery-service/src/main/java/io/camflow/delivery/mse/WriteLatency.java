package io.camflow.delivery.mse;

import io.camflow.delivery.sessions.AddedLatency;
import io.camflow.media.WallClock;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * One viewer's share of {@link AddedLatency}: the ingest receipt times of the live fragments
 * written to its channel whose write has not completed yet. Media goes out with the void promise
 * (no promise per fragment), so completion is read off the channel instead: a flush on the event
 * loop writes to the socket at once, and when nothing is left in the outbound buffer after it,
 * every write so far has completed now. Only when the socket is full does a marker write (an empty
 * buffer, after the media) get a promise, whose completion times what was written before it.
 *
 * <p>Live means received by ingest after the viewer said {@code play}: the GOP burst a viewer
 * starts with is old on purpose and is not the path's latency. Used on the channel's event loop
 * only.
 */
final class WriteLatency {

  /** Live fragments awaiting completion at most; beyond (a stalled viewer) they go unmeasured. */
  private static final int PENDING = 64;

  private final AddedLatency latency;
  private final long[] received = new long[PENDING];
  private long head;
  private long tail;
  private long liveFromMicros = Long.MAX_VALUE;

  WriteLatency(AddedLatency latency) {
    this.latency = latency;
  }

  /** The viewer said {@code play}: fragments ingest receives from now on are live for it. */
  void playing() {
    liveFromMicros = WallClock.micros();
  }

  /** {@code f} was written to the channel (not flushed yet). */
  void written(Fragment f) {
    long r = f.receivedMicros();
    if (r >= liveFromMicros && tail - head < PENDING) {
      received[(int) (tail++ % PENDING)] = r;
    }
  }

  /**
   * The channel was flushed: times what has reached the socket, or marks where to time the rest.
   */
  void flushed(Channel channel) {
    if (head == tail) {
      return;
    }
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    if (out == null || out.totalPendingWriteBytes() == 0) {
      completed(tail);
      return;
    }
    long upTo = tail;
    channel
        .writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                completed(upTo);
              }
            });
  }

  private void completed(long upTo) {
    if (upTo <= head) {
      return;
    }
    long now = WallClock.micros();
    while (head < upTo) {
      latency.record(now - received[(int) (head++ % PENDING)]);
    }
  }
}
