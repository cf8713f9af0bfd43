package io.camflow.delivery.mse;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every MSE viewer of this delivery instance: the instance-wide viewer limit, the list shutdown
 * walks to say goodbye, and a few figures for tests and benchmarks (time to the first fragment).
 */
public final class MseViewers {

  static final Logger LOG = LoggerFactory.getLogger(MseViewers.class);
  private static final int FIRST_FRAGMENT_SAMPLES = 1000;

  private final MseSettings settings;
  private final AtomicInteger reserved = new AtomicInteger();
  private final Set<MseViewer> reservedBy = ConcurrentHashMap.newKeySet();
  private final Set<MseViewer> admitted = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedDeque<Long> firstFragmentNanos = new ConcurrentLinkedDeque<>();
  private volatile boolean closing;
  /** Media bytes written to viewers, and fragments skipped for viewers already gone (metrics). */
  private final java.util.concurrent.atomic.LongAdder bytesSent = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder droppedByGone = new java.util.concurrent.atomic.LongAdder();

  public MseViewers(MseSettings settings) {
    this.settings = settings;
  }

  public MseSettings settings() {
    return settings;
  }

  /** Takes an instance-wide place for {@code viewer}; false over the limit or while shutting down. */
  boolean reserve(MseViewer viewer) {
    if (closing) {
      return false;
    }
    while (true) {
      int n = reserved.get();
      if (n >= settings.maxViewers()) {
        return false;
      }
      if (reserved.compareAndSet(n, n + 1)) {
        reservedBy.add(viewer);
        return true;
      }
    }
  }

  void release(MseViewer viewer) {
    if (reservedBy.remove(viewer)) {
      reserved.decrementAndGet();
    }
  }

  /** The viewer holds both places (instance and stream). */
  void admitted(MseViewer viewer) {
    admitted.add(viewer);
  }

  /** Gives back the places of a viewer going away; true if it had been admitted. */
  boolean remove(MseViewer viewer) {
    release(viewer);
    boolean was = admitted.remove(viewer);
    if (was) {
      droppedByGone.add(viewer.droppedFragments());
    }
    return was;
  }

  void sent(long bytes) {
    bytesSent.add(bytes);
  }

  /** Media bytes written to MSE viewers so far (camflow_delivery_bytes_out_total{protocol="mse"}). */
  public long bytesSent() {
    return bytesSent.sum();
  }

  /** Fragments skipped for slow viewers so far, present and gone (camflow_delivery_dropped_fragments_total). */
  public long droppedFragments() {
    long now = 0;
    for (MseViewer v : admitted) {
      now += v.droppedFragments();
    }
    return droppedByGone.sum() + now;
  }

  /** Media bytes held for the viewers now: their queues and unwritten channel buffers. */
  public long heldBytes() {
    long n = 0;
    for (MseViewer v : admitted) {
      n += v.heldBytes();
    }
    return n;
  }

  void firstFragmentWritten(long nanos) {
    firstFragmentNanos.add(nanos);
    while (firstFragmentNanos.size() > FIRST_FRAGMENT_SAMPLES) {
      firstFragmentNanos.poll();
    }
  }

  /** Connection open → first media fragment written to the socket, of the latest viewers (ns). */
  public List<Long> firstFragmentTimes() {
    return List.copyOf(firstFragmentNanos);
  }

  /** The viewers admitted now. */
  public List<MseViewer> list() {
    return List.copyOf(admitted);
  }

  public int count() {
    return reserved.get();
  }

  /**
   * Tells every viewer {@code shutdown} and closes it with 1001 (going away); waits up to
   * {@code wait} for the connections to close. New viewers are refused from now on.
   */
  public void shutdown(Duration wait) {
    closing = true;
    for (MseViewer v : admitted) {
      v.end(MseMessages.shutdown(), 1001, "server shutting down");
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (!admitted.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
