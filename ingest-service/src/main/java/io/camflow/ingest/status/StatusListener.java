package io.camflow.ingest.status;

import io.camflow.registry.StreamStatus;

/** Receives every state change and periodic statistics of a stream. Must not block. */
@FunctionalInterface
public interface StatusListener {
  void onStatus(StreamStatus status);

  StatusListener NONE = s -> {};
}
