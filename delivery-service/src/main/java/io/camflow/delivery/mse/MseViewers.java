package io.camflow.delivery.mse;

import io.camflow.delivery.sessions.AddedLatency;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerSessions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every MSE viewer of this delivery instance: the list shutdown walks to say goodbye, the MSE
 * meters, and a few figures for tests and benchmarks (time to the first fragment). Places and
 * limits are the {@link ViewerSessions}' (shared with the other protocols): a viewer is admitted
 * there, as a session an administrator can list and disconnect.
 */
public final class MseViewers {

  static final Logger LOG = LoggerFactory.getLogger(MseViewers.class);
  private static final int FIRST_FRAGMENT_SAMPLES = 1000;

  private final MseSettings settings;
  private final ViewerSessions sessions;
  private final Set<MseViewer> admitted = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedDeque<Long> firstFragmentNanos = new ConcurrentLinkedDeque<>();
  private final AddedLatency addedLatency = new AddedLatency();

  /** Media bytes written to viewers, and fragments skipped for viewers already gone (metrics). */
  private final java.util.concurrent.atomic.LongAdder bytesSent =
      new java.util.concurrent.atomic.LongAdder();

  private final java.util.concurrent.atomic.LongAdder droppedByGone =
      new java.util.concurrent.atomic.LongAdder();

  /** With sessions of its own, limited by the settings' viewer limits (tests, benchmarks). */
  public MseViewers(MseSettings settings) {
    this(settings, new ViewerSessions(settings.viewerLimits()));
  }

  /**
   * @param sessions the instance's viewers of every protocol, which admits MSE viewers too
   */
  public MseViewers(MseSettings settings, ViewerSessions sessions) {
    this.settings = settings;
    this.sessions = sessions;
  }

  public MseSettings settings() {
    return settings;
  }

  /** Ingest receipt → fragment on a viewer's socket (camflow_delivery_added_latency_seconds). */
  public AddedLatency addedLatency() {
    return addedLatency;
  }

  ViewerSessions sessions() {
    return sessions;
  }

  /** The viewer holds its places (session and stream). */
  void admitted(MseViewer viewer) {
    admitted.add(viewer);
  }

  /** Forgets a viewer going away; true if it had been admitted. */
  boolean remove(MseViewer viewer) {
    boolean was = admitted.remove(viewer);
    if (was) {
      droppedByGone.add(viewer.droppedFragments());
    }
    return was;
  }

  void sent(long bytes) {
    bytesSent.add(bytes);
  }

  /**
   * Media bytes written to MSE viewers so far (camflow_delivery_bytes_out_total{protocol="mse"}).
   */
  public long bytesSent() {
    return bytesSent.sum();
  }

  /**
   * Fragments skipped for slow viewers so far, present and gone
   * (camflow_delivery_dropped_fragments_total).
   */
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

  /** MSE viewers holding a place now (their sessions). */
  public int count() {
    return sessions.count(Protocol.MSE);
  }

  /**
   * Tells every viewer {@code shutdown} and closes it with 1001 (going away); waits up to {@code
   * wait} for the connections to close. New viewers are refused from now on.
   */
  public void shutdown(Duration wait) {
    sessions.close();
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
