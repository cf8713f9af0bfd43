package io.camflow.delivery.gop;

import java.util.ArrayList;
import java.util.List;

/**
 * A stream's items since its latest video keyframe, in order: where a new viewer starts. Given up
 * past {@code maxBytes} until the next keyframe (a camera with a GOP of minutes must not fill the
 * heap). Not thread-safe: its owner's lock guards it, the same lock that fans the items out, so a
 * viewer that joins sees each item either in its start or live, never twice.
 *
 * @param <T> what the feed delivers: access units, CMAF fragments
 */
public final class KeyframeRun<T> {

  private final long maxBytes;
  private final List<T> items = new ArrayList<>();
  private long bytes;
  private boolean started;

  public KeyframeRun(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Takes the next item; a keyframe begins the run anew, anything before the first keyframe is
   * dropped.
   */
  public void add(T item, boolean keyframe, long size) {
    if (keyframe) {
      clear();
      started = true;
    }
    if (!started) {
      return;
    }
    items.add(item);
    bytes += size;
    if (bytes > maxBytes) {
      clear();
    }
  }

  /**
   * Forgets the run (a new source session or init segment: what came before does not decode with
   * what follows).
   */
  public void clear() {
    items.clear();
    bytes = 0;
    started = false;
  }

  /** Whether a keyframe began the run: a viewer can start here. */
  public boolean started() {
    return started;
  }

  /** The items from the keyframe, oldest first (a copy). */
  public List<T> items() {
    return List.copyOf(items);
  }
}
