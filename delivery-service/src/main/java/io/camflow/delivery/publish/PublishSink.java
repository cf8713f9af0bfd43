package io.camflow.delivery.publish;

import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;

/**
 * Where a publication's access units and state changes go: the stream's media topic and {@code
 * camflow.status}, as ingest writes them for a pulled camera ({@link CamelPublishSink}). Called on
 * the publisher's connection thread; must not block.
 */
public interface PublishSink {

  /**
   * Queues one access unit for the stream's media topic.
   *
   * @param session the publication's source-session id
   * @param captureMillis the record's timestamp
   * @param receivedMicros when delivery had the access unit complete
   * @return false when it cannot be taken (the output is over its bound: Kafka is not keeping up);
   *     the publication then ends rather than lose frames in its middle
   */
  boolean media(
      StreamKey key, AccessUnit au, String session, long captureMillis, long receivedMicros);

  /** Queues the stream's state for {@code camflow.status}. */
  void status(PublicationState state);
}
