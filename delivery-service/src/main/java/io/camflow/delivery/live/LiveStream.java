package io.camflow.delivery.live;

import io.camflow.delivery.hls.HeldRequests;
import io.camflow.delivery.hls.HlsResponder;
import io.camflow.delivery.hls.StreamWindow;
import io.camflow.delivery.mse.MseStream;
import io.camflow.media.StreamKey;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stream somebody watches: its window, its held requests, its one Kafka feed and who asked for
 * it lately (viewers are counted by client address over the last {@code viewerWindowMillis}).
 */
public final class LiveStream {

  private final StreamKey key;
  private final StreamWindow window;
  private final HeldRequests held;
  private final HlsResponder hls;
  private final StreamFeed feed;
  private final MseStream mse;
  private final ConcurrentHashMap<String, Long> lastSeen = new ConcurrentHashMap<>();
  private volatile long lastRequestNanos = System.nanoTime();

  LiveStream(StreamKey key, StreamWindow window, HeldRequests held, HlsResponder hls, StreamFeed feed, MseStream mse) {
    this.key = key;
    this.window = window;
    this.held = held;
    this.hls = hls;
    this.feed = feed;
    this.mse = mse;
  }

  /** The stream's WebSocket/MSE fan-out and GOP cache (docs/mse.md). */
  public MseStream mse() {
    return mse;
  }

  public StreamKey key() {
    return key;
  }

  public HlsResponder hls() {
    return hls;
  }

  public StreamWindow window() {
    return window;
  }

  /** Records a request from {@code client} (its address). */
  public void touch(String client) {
    long now = System.nanoTime();
    lastRequestNanos = now;
    lastSeen.put(client == null ? "?" : client, now);
  }

  /**
   * Distinct HTTP clients seen within {@code windowNanos} (older ones are forgotten) plus the MSE
   * viewers connected now: everyone the demand heartbeat counts.
   */
  public int viewers(long windowNanos) {
    long now = System.nanoTime();
    lastSeen.values().removeIf(t -> now - t > windowNanos);
    return lastSeen.size() + mse.viewers();
  }

  /** Time since the last request; 0 while MSE viewers are connected (they keep the stream watched). */
  long idleNanos() {
    long now = System.nanoTime();
    if (mse.viewers() > 0) {
      lastRequestNanos = now;
    }
    return now - lastRequestNanos;
  }

  HeldRequests held() {
    return held;
  }

  StreamFeed feed() {
    return feed;
  }
}
