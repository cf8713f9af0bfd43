package io.camflow.ingest.rtsp;

import io.camflow.ingest.demand.DemandTracker;
import io.camflow.ingest.retry.Backoff;
import io.camflow.ingest.source.AuthFailedException;
import io.camflow.ingest.source.EndOfStreamException;
import io.camflow.ingest.source.MediaSource;
import io.camflow.ingest.source.SourceAddress;
import io.camflow.ingest.source.SourceClosedException;
import io.camflow.ingest.source.SourceException;
import io.camflow.ingest.source.SourcePacket;
import io.camflow.ingest.source.Track;
import io.camflow.ingest.status.StreamMonitor;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.media.VideoFormat;
import io.camflow.media.au.AccessUnitAssembler;
import io.camflow.media.au.SliceGrouper;
import io.camflow.registry.PullMode;
import io.camflow.registry.StreamState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one stream's pull: wait for demand (on-demand mode), take a camera-connection slot,
 * connect, pass access units on, and after any failure retry with exponential backoff and jitter
 * (slower for refused credentials). Every state change is reported to the {@link StreamMonitor}.
 */
final class StreamPuller implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamPuller.class);

  /** Where access units go; must not block. */
  @FunctionalInterface
  interface Sink {
    void accept(AccessUnit au, String session, long captureMillis);
  }

  private final StreamKey key;
  private final RtspConfiguration config;
  private final SourceCatalog catalog;
  private final SourceFactory factory;
  private final DemandTracker demand;
  private final Semaphore connections;
  private final StreamMonitor monitor;
  private final Sink sink;
  private final Duration idleGrace;
  private final Backoff backoff;
  private final Backoff authBackoff;

  private final Object sleeper = new Object();
  private volatile boolean stopping;
  private volatile MediaSource current;
  private int failures;
  private int authFailures;

  /** Whether the current connection has passed on its first keyframe. */
  private boolean started;

  StreamPuller(
      StreamKey key,
      RtspConfiguration config,
      SourceCatalog catalog,
      SourceFactory factory,
      DemandTracker demand,
      Semaphore connections,
      StreamMonitor monitor,
      Sink sink) {
    this.key = key;
    this.config = config;
    this.catalog = catalog;
    this.factory = factory;
    this.demand = demand;
    this.connections = connections;
    this.monitor = monitor;
    this.sink = sink;
    this.idleGrace = Duration.ofMillis(config.getIdleGraceMs());
    this.backoff = config.backoff();
    this.authBackoff = config.authBackoff();
  }

  void stop() {
    stopping = true;
    MediaSource source = current;
    if (source != null) {
      source.interrupt();
    }
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
  }

  @Override
  public void run() {
    try {
      while (!stopping) {
        if (!awaitDemand() || !acquireSlot()) {
          break;
        }
        Failure failure;
        try {
          failure = pullOnce();
        } finally {
          connections.release(); // a camera waiting to retry holds no connection slot
        }
        if (failure != null) {
          retryLater(failure);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      monitor.state(StreamState.STOPPED);
    }
  }

  private boolean onDemand() {
    return config.getMode() == PullMode.ON_DEMAND;
  }

  private boolean awaitDemand() throws InterruptedException {
    if (!onDemand() || demand.hasDemand(key.toString(), idleGrace)) {
      return true;
    }
    monitor.state(StreamState.IDLE);
    return demand.awaitDemand(key.toString(), idleGrace, () -> stopping);
  }

  private boolean acquireSlot() throws InterruptedException {
    if (connections.tryAcquire()) {
      return true;
    }
    monitor.state(StreamState.WAITING_FOR_SLOT);
    while (!stopping) {
      if (connections.tryAcquire(250, TimeUnit.MILLISECONDS)) {
        return true;
      }
    }
    return false;
  }

  /** Why a connection ended, when it ended by failing. */
  private record Failure(String reason, String message, boolean auth) {}

  /**
   * One connection, from connect to failure, stop, or (on-demand) the end of demand.
   *
   * @return the failure to retry after, or null when the pull ended on purpose
   */
  private Failure pullOnce() {
    Optional<SourceAddress> address = catalog.address(key);
    if (address.isEmpty()) {
      return new Failure("not-configured", "no source address is configured for " + key, false);
    }
    String session = UUID.randomUUID().toString();
    monitor.connecting(session);
    try (MediaSource source = factory.create(address.get(), config)) {
      current = source;
      if (!stopping) {
        stream(source, source.open(), session);
      }
      return null;
    } catch (SourceClosedException e) {
      return null; // stopped from our side; nothing failed
    } catch (AuthFailedException e) {
      return new Failure(e.reason(), e.getMessage(), true);
    } catch (SourceException e) {
      return new Failure(e.reason(), e.getMessage(), false);
    } catch (RuntimeException e) {
      LOG.error("{}: unexpected failure while pulling", key, e);
      return new Failure("internal", e.getClass().getSimpleName(), false);
    } finally {
      current = null;
    }
  }

  private void stream(MediaSource source, List<Track> tracks, String session)
      throws SourceException {
    TrackAssemblers assemblers = new TrackAssemblers(tracks);
    started = false;
    while (!stopping) {
      SourcePacket packet;
      try {
        packet = source.read();
      } catch (EndOfStreamException e) {
        // the camera ended cleanly: the last picture is complete, pass it on before reporting
        assemblers
            .flush()
            .forEach(t -> emit(t.au(), session, t.captureMicros() / 1000, assemblers));
        throw e;
      }
      for (TimedUnit t : assemblers.assemble(packet)) {
        emit(t.au(), session, t.captureMicros() / 1000, assemblers);
      }
      assemblers.reportDecodeTimeRepairs(key);
      if (onDemand() && !demand.hasDemand(key.toString(), idleGrace)) {
        LOG.info("{}: no viewer demand for {} ms, closing", key, idleGrace.toMillis());
        return;
      }
    }
  }

  private void emit(AccessUnit au, String session, long captureMillis, TrackAssemblers assemblers) {
    boolean video = au.codec().isVideo();
    if (!started) {
      if (!video || !au.keyframe()) {
        return; // records of a session start on a keyframe: nothing before it decodes
      }
      started = true;
      failures = 0;
      authFailures = 0;
      monitor.streaming();
      int reorder = assemblers.reorderDepth(au.track());
      if (reorder > 0) {
        LOG.info(
            "{}: streaming (session {}); decode times derived for up to {} reordered frames (B-frames)",
            key,
            session,
            reorder);
      } else {
        LOG.info("{}: streaming (session {})", key, session);
      }
    }
    if (au.keyframe()) {
      assemblers.format(au.track()).ifPresent(monitor::format);
    }
    sink.accept(au, session, captureMillis);
    monitor.accessUnit(au.data().length, au.keyframe(), video);
  }

  private void retryLater(Failure f) throws InterruptedException {
    Duration delay = f.auth() ? authBackoff.delay(authFailures++) : backoff.delay(failures++);
    LOG.warn("{}: {} ({}); retrying in {} ms", key, f.reason(), f.message(), delay.toMillis());
    monitor.failed(
        f.reason(), f.message(), f.auth(), System.currentTimeMillis() + delay.toMillis());
    long deadline = System.nanoTime() + delay.toNanos();
    synchronized (sleeper) {
      long left;
      while (!stopping && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(sleeper, left);
      }
    }
  }

  /** An access unit with the capture time of its first packet. */
  private record TimedUnit(AccessUnit au, long captureMicros) {}

  /**
   * Per video track, a slice grouper (FFmpeg hands out slices) and an assembler (parameter sets on
   * every keyframe); audio frames pass through with their codec configuration.
   */
  private static final class TrackAssemblers {
    private final Map<Integer, Track> tracks = new HashMap<>();
    private final Map<Integer, SliceGrouper> groupers = new HashMap<>();
    private final Map<Integer, AccessUnitAssembler> video = new HashMap<>();

    /** Capture time of the first packet of each open picture, by track and pts. */
    private final Map<Integer, Map<Long, Long>> captures = new HashMap<>();

    private boolean repairsReported;

    TrackAssemblers(List<Track> list) {
      for (Track t : list) {
        tracks.put(t.index(), t);
        if (t.codec().isVideo()) {
          AccessUnitAssembler a = new AccessUnitAssembler(t.codec(), t.index(), t.timebase());
          if (t.extradata() != null) {
            a.setOutOfBandParameterSets(t.extradata());
          }
          video.put(t.index(), a);
          groupers.put(t.index(), new SliceGrouper(t.codec()));
          captures.put(
              t.index(),
              new java.util.LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                  return size() > 8;
                }
              });
        }
      }
    }

    List<TimedUnit> assemble(SourcePacket p) {
      AccessUnitAssembler a = video.get(p.track());
      if (a != null) {
        Map<Long, Long> open = captures.get(p.track());
        open.putIfAbsent(p.pts(), p.captureMicros());
        List<TimedUnit> out = new ArrayList<>(2);
        for (SliceGrouper.Group g : groupers.get(p.track()).add(p.data(), p.pts(), p.dts())) {
          long capture = open.getOrDefault(g.pts(), p.captureMicros());
          open.remove(g.pts());
          a.assemble(g.data(), g.pts(), g.dts())
              .ifPresent(au -> out.add(new TimedUnit(au, capture)));
        }
        return out;
      }
      Track t = tracks.get(p.track());
      if (t == null) {
        return List.of();
      }
      long dts = p.dts() == Long.MIN_VALUE ? p.pts() : p.dts();
      return List.of(
          new TimedUnit(
              new AccessUnit(
                  t.index(), t.codec(), p.pts(), dts, t.timebase(), false, p.data(), t.extradata()),
              p.captureMicros()));
    }

    /** The pictures still open in the groupers. */
    List<TimedUnit> flush() {
      List<TimedUnit> out = new ArrayList<>();
      long now = System.currentTimeMillis() * 1000;
      groupers.forEach(
          (track, grouper) ->
              grouper
                  .flush()
                  .ifPresent(
                      g -> {
                        long capture = captures.get(track).getOrDefault(g.pts(), now);
                        video
                            .get(track)
                            .assemble(g.data(), g.pts(), g.dts())
                            .ifPresent(au -> out.add(new TimedUnit(au, capture)));
                      }));
      return out;
    }

    /** The reorder depth the decode times of a video track follow (0 for audio). */
    int reorderDepth(int track) {
      AccessUnitAssembler a = video.get(track);
      return a == null ? 0 : a.reorderDepth();
    }

    /**
     * Says once per connection when a video track reorders deeper than its SPS admits: its decode
     * times are then repaired (kept monotonic), which players may show as a stutter.
     */
    void reportDecodeTimeRepairs(StreamKey key) {
      if (repairsReported) {
        return;
      }
      video.forEach(
          (track, a) -> {
            if (a.decodeTimeRepairs() > 0 && !repairsReported) {
              repairsReported = true;
              LOG.warn(
                  "{}: the camera reorders more frames than its SPS says; decode times of {} picture(s) "
                      + "were repaired and the reorder depth raised to {}",
                  key,
                  a.decodeTimeRepairs(),
                  a.reorderDepth());
            }
          });
    }

    Optional<VideoFormat> format(int track) {
      AccessUnitAssembler a = video.get(track);
      return a == null ? Optional.empty() : a.format();
    }
  }
}
