package io.camflow.delivery.mse;

import io.camflow.delivery.sessions.ViewerLimits;
import java.time.Duration;

/**
 * How WebSocket/MSE viewers are admitted and bounded (docs/mse.md). The viewer limits are carried
 * here for compatibility but apply to every protocol: {@link #viewerLimits()} is what {@code
 * ViewerSessions} enforces and what bounds held LL-HLS requests (docs/delivery.md).
 *
 * @param viewerLimits places in total, per stream, per user and per address, held LL-HLS requests
 *     ({@code CAMFLOW_MAX_VIEWERS*}, {@code CAMFLOW_MAX_HELD_REQUESTS*})
 * @param queueBytes media bytes queued for one viewer beyond what its socket takes; past it the
 *     viewer skips to the next keyframe. Must hold a GOP burst (a 4 s GOP at 8 Mbit/s is 4 MB).
 * @param queueFragments fragments queued for one viewer, the same way
 * @param offlineAfter no chunk for this long and viewers are told the stream is offline
 * @param sendBuffer SO_SNDBUF of a viewer's socket in bytes, or 0 for the OS's autotuning (which
 *     may grow it to net.ipv4.tcp_wmem's maximum, 4 MiB here, before a stuck viewer is noticed)
 */
public record MseSettings(
    ViewerLimits viewerLimits,
    long queueBytes,
    int queueFragments,
    Duration offlineAfter,
    int sendBuffer) {

  public MseSettings {
    java.util.Objects.requireNonNull(viewerLimits, "viewerLimits");
    if (queueBytes < 64 * 1024 || queueFragments < 16) {
      throw new IllegalArgumentException(
          "an MSE viewer queue must take at least 64 KiB and 16 fragments");
    }
    if (offlineAfter == null || offlineAfter.toMillis() < 100) {
      throw new IllegalArgumentException("offlineAfter must be at least 100 ms");
    }
    if (sendBuffer != 0 && sendBuffer < 16 * 1024) {
      throw new IllegalArgumentException(
          "sendBuffer must be 0 (OS default) or at least 16 KiB, was " + sendBuffer);
    }
  }

  /**
   * The default viewer limits, 8 MiB / 1000 fragments per viewer, offline after 2 s without a
   * chunk.
   */
  public static MseSettings defaults() {
    return new MseSettings(
        ViewerLimits.defaults(), 8L * 1024 * 1024, 1000, Duration.ofSeconds(2), 0);
  }

  /** These settings with other viewer totals (all streams, per stream), the shares kept. */
  public MseSettings withLimits(int total, int perStream) {
    return withLimits(viewerLimits.withTotals(total, perStream));
  }

  /** These settings with other viewer limits. */
  public MseSettings withLimits(ViewerLimits limits) {
    return new MseSettings(limits, queueBytes, queueFragments, offlineAfter, sendBuffer);
  }

  /** These settings with another per-viewer queue bound. */
  public MseSettings withQueue(long bytes, int fragments) {
    return new MseSettings(viewerLimits, bytes, fragments, offlineAfter, sendBuffer);
  }

  /** These settings with another socket send buffer (0: the OS's). */
  public MseSettings withSendBuffer(int bytes) {
    return new MseSettings(viewerLimits, queueBytes, queueFragments, offlineAfter, bytes);
  }
}
