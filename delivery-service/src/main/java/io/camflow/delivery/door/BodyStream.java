package io.camflow.delivery.door;

import java.util.concurrent.CompletionStage;

/**
 * The body of a response whose head is out already, written piece by piece by a sender that asks
 * for the next piece only when the previous one has left: of known length (a recording's clip:
 * hundreds of MB, read from Kafka as it goes), or open-ended (an MJPEG stream, which skips pictures
 * while the previous one is still on its way). Calls come in order, from one thread at a time.
 */
public interface BodyStream {

  /**
   * Sends {@code pieces}, one after the other, without copying them (a picture shared by every
   * viewer goes out as it is, behind each viewer's own few header bytes).
   *
   * @return completes once they are written to the connection; fails when the connection is gone
   */
  CompletionStage<Void> write(byte[]... pieces);

  /** Every byte the head announced has been written (or an open-ended body is done): ends it. */
  void end();

  /** The body cannot be completed (a read failed): closes the connection, so the client knows. */
  void abort();

  /** Runs {@code closed} once the connection is gone (the client left, or {@link #abort}). */
  void onClose(Runnable closed);
}
