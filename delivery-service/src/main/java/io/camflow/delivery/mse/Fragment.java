package io.camflow.delivery.mse;

import io.camflow.delivery.sessions.AddedLatency;
import io.camflow.media.record.MediaRecordFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One CMAF chunk (moof+mdat of one access unit) as every MSE viewer gets it: the window's byte[]
 * wrapped once in an unreleasable buffer; a viewer's frame takes a {@link #share() duplicate} (own
 * indices, same bytes), never a copy.
 *
 * @param independent a video keyframe: a viewer may start (or resume) here
 * @param captureMillis the record timestamp (capture wall clock), for skipped-time reports
 * @param init the id of the init segment it needs
 * @param receivedMicros when ingest had its access unit complete (µs since the epoch), or {@link
 *     MediaRecordFormat#RECEIVED_UNKNOWN}: the start of delivery's {@link AddedLatency}
 */
public record Fragment(
    ByteBuf data, boolean independent, long captureMillis, long init, long receivedMicros) {

  public static Fragment of(byte[] bytes, boolean independent, long captureMillis, long init) {
    return of(bytes, independent, captureMillis, init, MediaRecordFormat.RECEIVED_UNKNOWN);
  }

  public static Fragment of(
      byte[] bytes, boolean independent, long captureMillis, long init, long receivedMicros) {
    return new Fragment(
        Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)),
        independent,
        captureMillis,
        init,
        receivedMicros);
  }

  public int size() {
    return data.readableBytes();
  }

  /** A view of the shared bytes for one viewer's frame. */
  public ByteBuf share() {
    return data.duplicate();
  }
}
