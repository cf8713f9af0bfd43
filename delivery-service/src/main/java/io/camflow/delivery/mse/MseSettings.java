package io.camflow.delivery.mse;

import io.camflow.delivery.sessions.ViewerLimits;
import java.time.Duration;

/**
 * How WebSocket/MSE viewers are admitted and bounded (docs/mse.md). The two viewer limits are
 * carried here for compatibility but apply to every protocol: {@link #viewerLimits()} is what
 * {@code ViewerSessions} enforces (docs/delivery.md).
 *
 * @param maxViewers viewers on this instance, all streams and protocols together ({@code CAMFLOW_MAX_VIEWERS})
 * @param maxViewersPerStream viewers of one stream, all protocols ({@code CAMFLOW_MAX_VIEWERS_PER_STREAM})
 * @param queueBytes media bytes queued for one viewer beyond what its socket takes; past it the
 *     viewer skips to the next keyframe. Must hold a GOP burst (a 4 s GOP at 8 Mbit/s is 4 MB).
 * @param queueFragments fragments queued for one viewer, the same way
 * @param offlineAfter no chunk for this long and viewers are told the stream is offline
 * @param sendBuffer SO_SNDBUF of a viewer's socket in bytes, or 0 for the OS's autotuning (which
 *     may grow it to net.ipv4.tcp_wmem's maximum, 4 MiB here, before a stuck viewer is noticed)
 */
public record MseSettings(int maxViewers, int maxViewersPerStream, long queueBytes, int queueFragments,
    Duration offlineAfter, int sendBuffer) {

  public static final int DEFAULT_MAX_VIEWERS = 1000;
  public static final int DEFAULT_MAX_VIEWERS_PER_STREAM = 200;

  public MseSettings {
    if (maxViewers < 1 || maxViewersPerStream < 1) {
      throw new IllegalArgumentException("CAMFLOW_MAX_VIEWERS and CAMFLOW_MAX_VIEWERS_PER_STREAM must be at least 1, were "
          + maxViewers + " and " + maxViewersPerStream);
    }
    if (queueBytes < 64 * 1024 || queueFragments < 16) {
      throw new IllegalArgumentException("an MSE viewer queue must take at least 64 KiB and 16 fragments");
    }
    if (offlineAfter == null || offlineAfter.toMillis() < 100) {
      throw new IllegalArgumentException("offlineAfter must be at least 100 ms");
    }
    if (sendBuffer != 0 && sendBuffer < 16 * 1024) {
      throw new IllegalArgumentException("sendBuffer must be 0 (OS default) or at least 16 KiB, was " + sendBuffer);
    }
  }

  /** 1000 viewers, 200 per stream, 8 MiB / 1000 fragments per viewer, offline after 2 s without a chunk. */
  public static MseSettings defaults() {
    return new MseSettings(DEFAULT_MAX_VIEWERS, DEFAULT_MAX_VIEWERS_PER_STREAM, 8L * 1024 * 1024, 1000,
        Duration.ofSeconds(2), 0);
  }

  /** The viewer limits of every protocol, as {@code ViewerSessions} takes them. */
  public ViewerLimits viewerLimits() {
    return new ViewerLimits(maxViewers, maxViewersPerStream);
  }

  /** These settings with other viewer limits. */
  public MseSettings withLimits(int total, int perStream) {
    return new MseSettings(total, perStream, queueBytes, queueFragments, offlineAfter, sendBuffer);
  }

  /** These settings with another per-viewer queue bound. */
  public MseSettings withQueue(long bytes, int fragments) {
    return new MseSettings(maxViewers, maxViewersPerStream, bytes, fragments, offlineAfter, sendBuffer);
  }

  /** These settings with another socket send buffer (0: the OS's). */
  public MseSettings withSendBuffer(int bytes) {
    return new MseSettings(maxViewers, maxViewersPerStream, queueBytes, queueFragments, offlineAfter, bytes);
  }
}
