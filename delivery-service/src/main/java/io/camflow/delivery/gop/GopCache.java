package io.camflow.delivery.gop;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The access units of one stream since its latest video keyframe (every track), so a new viewer
 * starts with a picture at once, and the fan-out of each new unit to the viewers that joined. Also
 * tells whether the current source session reorders frames (B-frames), which WebRTC cannot carry: a
 * video unit presented before one decoded earlier.
 *
 * <p>Listeners are called with this object's lock held, in decode order; they hand the unit to
 * their own thread and return (the feed thread must never wait on a viewer).
 */
public final class GopCache {

  /** Past this the cache is given up until the next keyframe (a camera with a very long GOP). */
  static final long MAX_BYTES = 32L * 1024 * 1024;

  /** Told of every unit after the snapshot it joined with. */
  public interface Listener {
    void unit(Unit unit);
  }

  /**
   * What a joining viewer starts with.
   *
   * @param gop units from the latest video keyframe, oldest first; empty until one came
   * @param reorders whether this session's video has B-frames (seen so far)
   */
  public record Snapshot(List<Unit> gop, boolean reorders) {}

  private final KeyframeRun<Unit> gop = new KeyframeRun<>(MAX_BYTES);
  private final Set<Listener> listeners = new LinkedHashSet<>();
  private String session;
  private long maxVideoPts = Long.MIN_VALUE;
  private boolean reorders;

  /** Takes the next unit of the stream (the feed's thread). */
  public synchronized void accept(Unit unit) {
    if (!unit.session().equals(session)) {
      session = unit.session();
      gop.clear();
      maxVideoPts = Long.MIN_VALUE;
      reorders = false;
    }
    if (unit.au().codec().isVideo()) {
      if (unit.au().pts() < maxVideoPts) {
        reorders = true;
      }
      maxVideoPts = Math.max(maxVideoPts, unit.au().pts());
    }
    gop.add(unit, unit.videoKeyframe(), unit.au().data().length);
    for (Listener l : listeners) {
      l.unit(unit);
    }
  }

  /** Adds a listener and returns where it starts; nothing falls between the two. */
  public synchronized Snapshot join(Listener listener) {
    listeners.add(listener);
    return snapshot();
  }

  public synchronized void leave(Listener listener) {
    listeners.remove(listener);
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(gop.items(), reorders);
  }

  public synchronized int listeners() {
    return listeners.size();
  }

  /** Forgets the GOP (its feed stopped: a feed started later begins at a keyframe of its own). */
  public synchronized void clear() {
    gop.clear();
    session = null;
  }
}
