package io.camflow.delivery.hls;

import io.camflow.delivery.sessions.AddressShare;
import io.camflow.delivery.sessions.ViewerLimits;
import java.util.HashMap;
import java.util.Map;

/**
 * How many LL-HLS requests this instance holds waiting for their streams (blocking playlist
 * reloads, hinted parts, playlists of starting streams), shared by the {@link HeldRequests} of
 * every stream: at most {@link ViewerLimits#held()} in total and {@link
 * ViewerLimits#heldPerAddress()} from one client address ({@link AddressShare}), so one client
 * cannot take every place or make the streams' consumer threads re-decide an endless list after
 * every part.
 */
public final class HoldQuota {

  private final int total;
  private final int perAddress;
  private final Map<String, Integer> byAddress = new HashMap<>();
  private int held;

  /**
   * @param perAddress 0: no share per address (the total alone)
   */
  public HoldQuota(int total, int perAddress) {
    if (total < 1 || perAddress < 0) {
      throw new IllegalArgumentException("held requests: total at least 1, per address 0 or more");
    }
    this.total = total;
    this.perAddress = perAddress;
  }

  public static HoldQuota of(ViewerLimits limits) {
    return new HoldQuota(limits.held(), limits.heldPerAddress());
  }

  /** No cap worth the name (tests of a single stream). */
  public static HoldQuota unlimited() {
    return new HoldQuota(Integer.MAX_VALUE, 0);
  }

  /**
   * Takes a place for a request from {@code share} ({@link AddressShare#of}, null: the total only);
   * false if there is none.
   */
  synchronized boolean take(String share) {
    if (held >= total) {
      return false;
    }
    if (share != null && perAddress > 0) {
      if (byAddress.getOrDefault(share, 0) >= perAddress) {
        return false;
      }
      byAddress.merge(share, 1, Integer::sum);
    }
    held++;
    return true;
  }

  /** Gives back a place {@link #take} gave. */
  synchronized void giveBack(String share) {
    held--;
    if (share != null && perAddress > 0) {
      byAddress.computeIfPresent(share, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** Requests held now, all streams. */
  public synchronized int held() {
    return held;
  }
}
