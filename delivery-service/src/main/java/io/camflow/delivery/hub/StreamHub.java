package io.camflow.delivery.hub;

import io.camflow.delivery.gop.GopCache;
import io.camflow.delivery.gop.UnitFeed;
import io.camflow.delivery.hls.HeldRequests;
import io.camflow.delivery.hls.HlsResponder;
import io.camflow.delivery.hls.StreamWindow;
import io.camflow.delivery.live.StreamFeed;
import io.camflow.delivery.mse.MseStream;
import io.camflow.delivery.picture.LatestPictures;
import io.camflow.delivery.picture.PictureStream;
import io.camflow.delivery.whep.RtcStream;
import io.camflow.media.StreamKey;
import io.camflow.media.hls.PlaylistWindow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watched stream on this instance, in the manner of MediaMTX's {@code internal/stream}: the
 * Kafka feeds its readers need, each started once, when the first reader that needs it comes — the
 * CMAF topic for HLS and MSE ({@link CmafReaders}), the media topic for WebRTC and pictures ({@link
 * UnitReaders}) — and one GOP cache ({@link StreamGop}). Each feed runs on its own thread and hands
 * records to its readers, which queue them per viewer: no viewer can stall a feed or another
 * viewer. Readers unused for the idle grace are let go with their feed; a hub with none left is
 * closed by {@link StreamHubs}.
 */
public final class StreamHub {

  private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);

  private final StreamKey key;
  private final StreamHubs hubs;
  private final StreamGop gop = new StreamGop();
  private CmafReaders cmaf;
  private UnitReaders units;
  private boolean closed;

  /**
   * When a viewer last asked for the stream (any protocol), or a reader was last in use: the hub's
   * idle clock.
   */
  private volatile long usedNanos = System.nanoTime();

  /**
   * When a viewer last asked for the stream (any protocol): the demand of viewers without a session
   * yet.
   */
  private volatile long requestedNanos = System.nanoTime();

  StreamHub(StreamKey key, StreamHubs hubs) {
    this.key = key;
    this.hubs = hubs;
  }

  public StreamKey key() {
    return key;
  }

  /** Whether the hub closed (its readers idle): a new one takes its place. */
  synchronized boolean closed() {
    return closed;
  }

  /**
   * A viewer asked for the stream (the demand heartbeat counts it for a while, before its session
   * exists).
   */
  void requested() {
    long now = System.nanoTime();
    requestedNanos = now;
    usedNanos = now;
  }

  /** Whether a viewer asked for the stream within {@code nanos}. */
  public boolean requestedWithin(long nanos) {
    return System.nanoTime() - requestedNanos <= nanos;
  }

  /**
   * The stream's LL-HLS responder for a request (which keeps the HLS reader in use), the CMAF feed
   * started if it was not running; null if the hub has just closed (the caller answers 503, the
   * next request opens it anew).
   */
  public HlsResponder hls() {
    CmafReaders r = cmaf();
    if (r == null) {
      return null;
    }
    r.requested();
    return r.hls();
  }

  /**
   * The stream's MSE fan-out, the CMAF feed started if it was not running; null if the hub has just
   * closed.
   */
  public MseStream mse() {
    CmafReaders r = cmaf();
    return r == null ? null : r.mse();
  }

  /**
   * The stream's WebRTC stream, the media feed started if it was not running; null if the hub has
   * just closed.
   */
  public RtcStream rtc() {
    UnitReaders r = units();
    return r == null ? null : r.rtc();
  }

  /**
   * The stream's latest keyframe and the snapshots made of it, the media feed started if it was not
   * running (it begins at the latest keyframe in the topic); null if the hub has just closed.
   */
  public LatestPictures pictures() {
    UnitReaders r = units();
    return r == null ? null : r.pictures();
  }

  /**
   * The stream's moving pictures (MJPEG, frames), the media feed started if it was not running;
   * null if the hub has just closed.
   */
  public PictureStream pictureStream() {
    UnitReaders r = units();
    return r == null ? null : r.pictureStream();
  }

  private UnitReaders units() {
    UnitReaders r;
    synchronized (this) {
      if (closed) {
        return null;
      }
      if (units == null) {
        GopCache cache = gop.openUnits();
        RtcStream stream = new RtcStream(key);
        LatestPictures pictures = new LatestPictures();
        PictureStream moving = new PictureStream(key, hubs.pictureFrames());
        cache.join(stream); // before the feed starts: every unit is packetized
        cache.join(pictures);
        cache.join(moving);
        UnitFeed feed =
            new UnitFeed(
                key, hubs.bootstrapServers(), cache, hubs.consumers().of(key.mediaTopic()));
        units = new UnitReaders(stream, pictures, moving, feed);
        feed.start();
        LOG.info("{}: first WebRTC viewer or picture, access unit feed started", key);
      }
      r = units;
    }
    r.requested();
    usedNanos = System.nanoTime();
    return r;
  }

  /** The HLS window while the CMAF feed runs, else null (tests, status). */
  public synchronized StreamWindow window() {
    return cmaf == null ? null : cmaf.window();
  }

  private CmafReaders cmaf() {
    CmafReaders r;
    synchronized (this) {
      if (closed) {
        return null;
      }
      if (cmaf == null) {
        cmaf = startCmaf();
      }
      r = cmaf;
    }
    usedNanos = System.nanoTime();
    return r;
  }

  private CmafReaders startCmaf() {
    StreamWindow window =
        new StreamWindow(
            new PlaylistWindow(
                hubs.settings().partTarget(),
                hubs.settings().segmentTarget(),
                PlaylistWindow.DEFAULT_MAX_SEGMENTS));
    HeldRequests held = new HeldRequests(hubs.scheduler(), hubs.holds());
    HlsResponder hls = new HlsResponder(window, held, hubs.settings().startWait());
    MseStream mse =
        new MseStream(key, hubs.settings().mse(), hubs.scheduler(), gop.openFragments());
    window.listener(mse); // before the feed starts: the GOP cache sees every record
    StreamFeed feed =
        new StreamFeed(
            key,
            hubs.settings().bootstrapServers(),
            hubs.settings().startSegments(),
            window,
            held,
            hubs.consumers().of(key.cmafTopic()));
    feed.start();
    LOG.info("{}: first HLS/MSE viewer, CMAF feed started", key);
    return new CmafReaders(window, hls, feed, mse);
  }

  /** Streams whose AAC is being transcoded to Opus now (a metric). */
  synchronized boolean transcodingAudio() {
    return units != null && units.rtc().transcodingAudio();
  }

  /**
   * GOP caches this hub holds: its one while a feed fills it, else none
   * (camflow_delivery_hub_gop_caches).
   */
  int gopCaches() {
    return gop.lanes() > 0 ? 1 : 0;
  }

  /**
   * Lets go of the readers unused for {@code graceNanos} (or whose feed died) and stops their
   * feeds; true if the hub has no reader left and nobody asked for it within the grace: it closed.
   */
  boolean closeIdle(long graceNanos) {
    List<Runnable> stops = new ArrayList<>();
    boolean done;
    synchronized (this) {
      if (cmaf != null && (cmaf.idleNanos() > graceNanos || !cmaf.feedAlive())) {
        stops.add(stopping(cmaf::close, "no HLS/MSE viewer, CMAF feed stopped"));
        cmaf = null;
        gop.closeFragments();
      }
      if (units != null && (units.idleNanos() > graceNanos || !units.feedAlive())) {
        stops.add(stopping(units::close, "no WebRTC viewer or picture, access unit feed stopped"));
        units = null;
        gop.closeUnits();
      }
      if (cmaf != null || units != null) {
        usedNanos = System.nanoTime();
      }
      done = cmaf == null && units == null && System.nanoTime() - usedNanos > graceNanos;
      closed |= done;
    }
    stops.forEach(Runnable::run); // outside the lock: a feed's thread takes a moment to end
    return done;
  }

  private Runnable stopping(Runnable close, String what) {
    return () -> {
      LOG.info("{}: {}", key, what);
      close.run();
    };
  }

  /** Stops every feed and closes every reader (shutdown). */
  void close() {
    CmafReaders c;
    UnitReaders u;
    synchronized (this) {
      closed = true;
      c = cmaf;
      u = units;
      cmaf = null;
      units = null;
      gop.closeFragments();
      gop.closeUnits();
    }
    if (c != null) {
      c.close();
    }
    if (u != null) {
      u.close();
    }
  }
}
