package io.camflow.ingest.status;

/** Receives every state change and periodic statistics of a stream. Must not block. */
@FunctionalInterface
public interface StatusListener {
  void onStatus(StreamStatus status);

  StatusListener NONE = s -> {};
}
