package io.camflow.delivery.hub;

import io.camflow.delivery.hls.HlsResponder;
import io.camflow.delivery.hls.StreamWindow;
import io.camflow.delivery.live.StreamFeed;
import io.camflow.delivery.mse.MseStream;

/**
 * The readers of a hub's CMAF feed: the HLS window with its held requests, and the MSE fan-out
 * (told of every record the window takes; its fragments since the latest keyframe are the hub's
 * {@link StreamGop}'s). They share the feed, so they come and go together: in use while an HLS
 * request came within the idle grace or an MSE viewer is connected.
 */
final class CmafReaders {

  private final StreamWindow window;
  private final HlsResponder hls;
  private final StreamFeed feed;
  private final MseStream mse;
  private volatile long lastRequestNanos = System.nanoTime();

  CmafReaders(StreamWindow window, HlsResponder hls, StreamFeed feed, MseStream mse) {
    this.window = window;
    this.hls = hls;
    this.feed = feed;
    this.mse = mse;
  }

  HlsResponder hls() {
    return hls;
  }

  MseStream mse() {
    return mse;
  }

  StreamWindow window() {
    return window;
  }

  /** An HLS request came: HLS has no connection, its requests keep the readers in use. */
  void requested() {
    lastRequestNanos = System.nanoTime();
  }

  /** Time since the readers were last used; 0 while MSE viewers are connected. */
  long idleNanos() {
    long now = System.nanoTime();
    if (mse.viewers() > 0) {
      lastRequestNanos = now;
    }
    return now - lastRequestNanos;
  }

  boolean feedAlive() {
    return feed.isAlive();
  }

  /**
   * Stops the feed (waits for its thread; held requests are answered as it ends), then tells the
   * MSE viewers.
   */
  void close() {
    feed.close();
    mse.close();
  }
}
