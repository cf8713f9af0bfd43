package io.camflow.delivery.mse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * What one MSE viewer has yet to be sent beyond what its socket takes now: events (text), init
 * segments and media fragments, in order. Bounded in media bytes and fragments; when a fragment
 * would pass either bound, every queued fragment is dropped (events and init segments stay) and the
 * viewer skips the stream until the next keyframe, where it resumes after a {@code dropped} event
 * that says how much time it lost. A slow viewer thus costs at most the bound and never holds back
 * anyone else. Not thread-safe: confined to the viewer's event loop.
 */
public final class ViewerQueue {

  /** An item to send: a text message, an init segment or a fragment. */
  public sealed interface Item {}

  public record Text(String json) implements Item {}

  public record Init(MseInit init) implements Item {}

  public record Media(Fragment fragment) implements Item {}

  /**
   * A recorded segment (docs/mse.md, "Recordings"): queued as a control item, never dropped; how
   * much is queued is bounded by the replay's lead, not by the live bounds.
   */
  public record Recorded(ByteBuf data) implements Item {
    static Recorded of(byte[] bytes) {
      return new Recorded(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)));
    }
  }

  private final long maxBytes;
  private final int maxFragments;
  private final ArrayDeque<Item> items = new ArrayDeque<>();
  private long bytes;
  private int fragments;

  /** Waiting for a keyframe: everything else is dropped. */
  private boolean skipping;

  /** Whether resuming is to be reported (an overflow), not a silent start. */
  private boolean report;

  private long skipFromMillis;
  private long droppedFragments;
  private long overflows;

  public ViewerQueue(long maxBytes, int maxFragments) {
    this.maxBytes = maxBytes;
    this.maxFragments = maxFragments;
  }

  /** Queues an event or an init segment: never dropped (a handful per viewer life). */
  public void control(Item item) {
    items.add(item);
  }

  /** From now on only a keyframe may start this viewer (a new init, a new viewer); not reported. */
  public void awaitKeyframe() {
    if (!skipping) {
      skipping = true;
      report = false;
    }
  }

  /** Queues a fragment, or drops it (skipping, or over the bound). */
  public void media(Fragment f) {
    if (skipping) {
      if (!f.independent()) {
        droppedFragments++;
        return;
      }
      skipping = false;
      if (report) {
        items.add(new Text(MseMessages.dropped(f.captureMillis() - skipFromMillis)));
      }
    } else if (fragments + 1 > maxFragments || bytes + f.size() > maxBytes) {
      overflows++;
      skipFromMillis = dropMedia(f.captureMillis());
      if (!f.independent()) {
        skipping = true;
        report = true;
        droppedFragments++;
        return;
      }
      items.add(new Text(MseMessages.dropped(f.captureMillis() - skipFromMillis)));
    }
    items.add(new Media(f));
    bytes += f.size();
    fragments++;
  }

  /**
   * Drops every queued fragment; returns the capture time of the oldest one (or {@code fallback}).
   */
  private long dropMedia(long fallback) {
    long oldest = fallback;
    boolean first = true;
    for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
      if (it.next() instanceof Media m) {
        if (first) {
          oldest = m.fragment().captureMillis();
          first = false;
        }
        droppedFragments++;
        it.remove();
      }
    }
    bytes = 0;
    fragments = 0;
    return oldest;
  }

  /** Drops everything queued (a seek, a return to live): what comes next starts anew. */
  public void clear() {
    items.clear();
    bytes = 0;
    fragments = 0;
    skipping = false;
    report = false;
  }

  /** The next item to send, or null. */
  public Item poll() {
    Item item = items.poll();
    if (item instanceof Media m) {
      bytes -= m.fragment().size();
      fragments--;
    }
    return item;
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** Media bytes queued. */
  public long bytes() {
    return bytes;
  }

  /** Fragments queued. */
  public int fragments() {
    return fragments;
  }

  public boolean skipping() {
    return skipping;
  }

  /** Fragments dropped so far (overflows and skipping). */
  public long droppedFragments() {
    return droppedFragments;
  }

  /** Times the bound was hit. */
  public long overflows() {
    return overflows;
  }
}
