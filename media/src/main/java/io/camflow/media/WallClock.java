package io.camflow.media;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch, for the times that travel between services on
 * Kafka headers (ingest's receipt of an access unit) and are compared in another process: {@link
 * System#nanoTime()} has no common origin between processes, and milliseconds are too coarse for
 * latencies of a few milliseconds. Once compiled, the {@link Instant} is scalar-replaced (measured:
 * 0 bytes allocated per call), so delivery may call it per fragment.
 */
public final class WallClock {

  private WallClock() {}

  public static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
