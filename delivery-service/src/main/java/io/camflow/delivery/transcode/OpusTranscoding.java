package io.camflow.delivery.transcode;

import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Opus audio of one AAC stream while WebRTC viewers need it: AAC frames are queued by the
 * stream's feed thread (never waiting: a full queue drops the frame) and transcoded on a thread of
 * its own, so decoding and encoding never delay the video. A frame the decoder refuses is skipped
 * and counted; nothing that one frame does ends the transcoding. A new AudioSpecificConfig (the
 * camera changed its audio) gets a new transcoder. Closing stops the thread, which frees the native
 * transcoder on its way out.
 */
public final class OpusTranscoding implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OpusTranscoding.class);

  /** About two seconds of AAC (1024 samples at 48 kHz ≈ 21 ms). */
  private static final int QUEUE = 96;

  private static final long LOG_EVERY = 500;

  private record Input(AccessUnit aac, long captureMicros, long receivedMicros) {}

  private static final Input STOP = new Input(null, 0, 0);

  private final StreamKey key;
  private final Consumer<OpusPacket> out;
  private final BlockingQueue<Input> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong packets = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopping;

  /** Starts the transcoding thread; {@code out} is called on it with each Opus packet, in order. */
  public OpusTranscoding(StreamKey key, Consumer<OpusPacket> out) {
    this.key = key;
    this.out = out;
    this.thread = Thread.ofPlatform().daemon().name("camflow-opus-" + key).start(this::run);
    LOG.info("{}: transcoding AAC to Opus for WebRTC viewers", key);
  }

  /** Queues an AAC frame (returns at once; dropped if the transcoder is two seconds behind). */
  public void offer(AccessUnit aac, long captureMicros, long receivedMicros) {
    if (stopping) {
      return;
    }
    if (!queue.offer(new Input(aac, captureMicros, receivedMicros))
        && dropped.incrementAndGet() % LOG_EVERY == 1) {
      LOG.warn("{}: Opus transcoding is behind, {} AAC frames dropped so far", key, dropped.get());
    }
  }

  /** AAC frames the decoder refused (skipped). */
  public long skipped() {
    return skipped.get();
  }

  /** AAC frames dropped because the transcoder fell behind. */
  public long dropped() {
    return dropped.get();
  }

  /** Opus packets made. */
  public long packets() {
    return packets.get();
  }

  /** Whether the thread still runs (it frees its native transcoder as it ends). */
  public boolean running() {
    return thread.isAlive();
  }

  private void run() {
    AacToOpus transcoder = null;
    try {
      while (!stopping) {
        Input in = queue.poll(1, TimeUnit.SECONDS);
        if (in == null) {
          continue;
        }
        if (in == STOP) {
          break;
        }
        try {
          if (transcoder == null || !transcoder.decodes(in.aac().codecConfig())) {
            if (transcoder != null) {
              transcoder.close();
              transcoder = null;
            }
            transcoder = new AacToOpus(in.aac().codecConfig());
          }
          List<OpusPacket> made =
              transcoder.transcode(in.aac(), in.captureMicros(), in.receivedMicros());
          for (OpusPacket p : made) {
            packets.incrementAndGet();
            out.accept(p);
          }
        } catch (BadAudioFrameException | RuntimeException e) {
          if (skipped.incrementAndGet() % LOG_EVERY == 1) {
            LOG.warn(
                "{}: AAC frame not transcoded ({}); skipped, {} so far",
                key,
                e.getMessage(),
                skipped.get());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (transcoder != null) {
        transcoder.close();
      }
      LOG.info(
          "{}: Opus transcoding stopped ({} packets made, {} AAC frames skipped, {} dropped)",
          key,
          packets.get(),
          skipped.get(),
          dropped.get());
    }
  }

  /** Stops the thread (without waiting for it: the caller may hold the lock {@code out} takes). */
  @Override
  public void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    queue.clear();
    queue.offer(STOP);
  }

  /** Waits until the thread has ended and freed its native memory; false on timeout. */
  public boolean awaitStopped(long millis) throws InterruptedException {
    thread.join(millis);
    return !thread.isAlive();
  }
}
