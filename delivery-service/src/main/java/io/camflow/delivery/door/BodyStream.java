package io.camflow.delivery.door;

import java.util.concurrent.CompletionStage;

/**
 * The body of a response of known length whose head is out already, written piece by piece by a
 * sender that asks for the next piece only when the previous one has left (a recording's clip:
 * hundreds of MB, read from Kafka as it goes). Calls come in order, from one thread at a time.
 */
public interface BodyStream {

  /**
   * Sends {@code bytes}.
   *
   * @return completes once they are written to the connection; fails when the connection is gone
   */
  CompletionStage<Void> write(byte[] bytes);

  /** Every byte the head announced has been written: ends the response. */
  void end();

  /** The body cannot be completed (a read failed): closes the connection, so the client knows. */
  void abort();
}
