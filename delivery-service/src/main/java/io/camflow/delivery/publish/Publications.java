package io.camflow.delivery.publish;

import io.camflow.media.StreamKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The publication of each stream on this delivery instance: one publisher per stream. A second one
 * is refused while the first sends, or, with {@code replace}, takes its place (the first one's
 * connection is closed) — for an encoder that reconnects before its old connection has timed out.
 */
public final class Publications {

  /** What {@link #claim} did. */
  public enum Claim {
    /** The stream had no publisher. */
    TAKEN,
    /** The stream's publisher was told to go; this one has it now. */
    REPLACED,
    /** The stream has a publisher; nothing changed. */
    REFUSED
  }

  private final boolean replace;
  private final Map<StreamKey, Publication> active = new ConcurrentHashMap<>();

  /**
   * @param replace whether a new publisher replaces the one sending (else it is refused)
   */
  public Publications(boolean replace) {
    this.replace = replace;
  }

  /** Makes {@code p} its stream's publication, if it may be. */
  public Claim claim(Publication p) {
    Publication[] before = new Publication[1];
    Publication now =
        active.compute(
            p.key(),
            (k, current) -> {
              before[0] = current;
              return current == null || replace ? p : current;
            });
    if (now != p) {
      return Claim.REFUSED;
    }
    if (before[0] != null) {
      before[0].kick("replaced by a new publisher");
      return Claim.REPLACED;
    }
    return Claim.TAKEN;
  }

  /** {@code p} has ended: its stream is free (unless another one has replaced it already). */
  public void release(Publication p) {
    active.remove(p.key(), p);
  }

  /** Whether a new publisher of {@code key} would be refused now. */
  public boolean refuses(StreamKey key) {
    return !replace && active.containsKey(key);
  }

  /** Streams being published now. */
  public int count() {
    return active.size();
  }

  public boolean isPublished(StreamKey key) {
    return active.containsKey(key);
  }
}
