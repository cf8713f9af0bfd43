package io.camflow.delivery.hls;

import io.camflow.delivery.sessions.AddressShare;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The requests of one stream that wait for the window to change (a blocking playlist reload, the
 * preload-hinted part, the first init of a stream that is just starting). No thread is parked per
 * request: each held request is a check that answers it if it can, re-run by the stream's consumer
 * thread after every change ({@link #recheck}), and a timeout on a shared scheduler. How many may
 * wait, in total and per client address, is the {@link HoldQuota} every stream shares.
 */
public final class HeldRequests {

  private final ScheduledExecutorService timer;
  private final HoldQuota quota;
  private final List<Held> held = new ArrayList<>();
  private int streaming;

  /** Without a cap (tests of one stream). */
  public HeldRequests(ScheduledExecutorService timer) {
    this(timer, HoldQuota.unlimited());
  }

  public HeldRequests(ScheduledExecutorService timer, HoldQuota quota) {
    this.timer = timer;
    this.quota = quota;
  }

  private final class Held {
    final String share;
    final BooleanSupplier tryAnswer;
    final Runnable expire;
    final boolean stream;
    final AtomicBoolean done = new AtomicBoolean();
    ScheduledFuture<?> timeout;

    Held(String share, BooleanSupplier tryAnswer, Runnable expire, boolean stream) {
      this.share = share;
      this.tryAnswer = tryAnswer;
      this.expire = expire;
      this.stream = stream;
    }
  }

  /**
   * Holds a request whose client counts in the total only (see {@link #hold(String,
   * BooleanSupplier, Duration, Runnable)}).
   */
  public boolean hold(BooleanSupplier tryAnswer, Duration maxWait, Runnable expire) {
    return hold(null, tryAnswer, maxWait, expire);
  }

  /**
   * Holds a request, if the {@link HoldQuota} has a place for it.
   *
   * @param client the client's address (its share of the quota: {@link AddressShare}); null: none
   * @param tryAnswer answers the request and returns true if the window now allows it; false to
   *     keep waiting. Called on the consumer thread; must not block.
   * @param maxWait how long to wait at most
   * @param expire answers the request when {@code maxWait} passes first (e.g. with 503)
   * @return false, with neither {@code tryAnswer} nor {@code expire} run, if there is no place: the
   *     caller answers
   */
  public boolean hold(String client, BooleanSupplier tryAnswer, Duration maxWait, Runnable expire) {
    return hold(new Held(AddressShare.of(client), tryAnswer, expire, false), maxWait);
  }

  /**
   * Holds a request that is answered progressively (a part streamed as it grows): like {@link
   * #hold}, but {@code tryAnswer} is also re-run after every chunk ({@link #recheckStreams}), and
   * may write something each time before it returns true (done).
   */
  public boolean holdStream(
      String client, BooleanSupplier tryAnswer, Duration maxWait, Runnable expire) {
    return hold(new Held(AddressShare.of(client), tryAnswer, expire, true), maxWait);
  }

  private boolean hold(Held h, Duration maxWait) {
    if (!quota.take(h.share)) {
      return false;
    }
    Runnable expire = h.expire;
    synchronized (this) {
      held.add(h);
      if (h.stream) {
        streaming++;
      }
    }
    h.timeout =
        timer.schedule(
            () -> {
              if (claim(h)) {
                remove(h);
                expire.run();
              }
            },
            maxWait.toMillis(),
            TimeUnit.MILLISECONDS);
    // the window may have changed between the caller's check and the hold
    attempt(h);
    return true;
  }

  /** Re-decides every held request; answers those the window now allows. */
  public void recheck() {
    recheck(false);
  }

  /** Re-runs the streaming holds only (a chunk arrived: nothing else can have changed). */
  public void recheckStreams() {
    recheck(true);
  }

  private void recheck(boolean streamsOnly) {
    List<Held> copy;
    synchronized (this) {
      if (held.isEmpty() || streamsOnly && streaming == 0) {
        return;
      }
      copy = new ArrayList<>(held);
    }
    for (Held h : copy) {
      if (!streamsOnly || h.stream) {
        attempt(h);
      }
    }
  }

  private void attempt(Held h) {
    if (h.done.get()) {
      return;
    }
    synchronized (h) {
      if (h.done.get() || !h.tryAnswer.getAsBoolean()) {
        return;
      }
      h.done.set(true);
    }
    remove(h);
    if (h.timeout != null) {
      h.timeout.cancel(false);
    }
  }

  /** Answers every held request as expired (the stream is stopping). */
  public void expireAll() {
    List<Held> copy;
    synchronized (this) {
      copy = new ArrayList<>(held);
      held.clear();
      streaming = 0;
    }
    for (Held h : copy) {
      quota.giveBack(h.share);
      if (claim(h)) {
        if (h.timeout != null) {
          h.timeout.cancel(false);
        }
        h.expire.run();
      }
    }
  }

  /** Marks {@code h} answered; false if it was already (answering happens under the same lock). */
  private static boolean claim(Held h) {
    synchronized (h) {
      return h.done.compareAndSet(false, true);
    }
  }

  /** How many requests are waiting. */
  public synchronized int size() {
    return held.size();
  }

  private void remove(Held h) {
    boolean removed;
    synchronized (this) {
      removed = held.remove(h);
      if (removed && h.stream) {
        streaming--;
      }
    }
    if (removed) {
      quota.giveBack(h.share);
    }
  }
}
