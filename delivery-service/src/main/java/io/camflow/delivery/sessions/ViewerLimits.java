package io.camflow.delivery.sessions;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;

/**
 * What one delivery instance gives its viewers, whatever their protocol (docs/delivery.md, "Viewer
 * sessions and limits"): places in total and per stream, the share of them one user and one client
 * address may take, and how many LL-HLS requests it holds waiting for the stream, in total and per
 * address. A share of 0 is no share (the total applies alone).
 *
 * @param total viewers of all streams together ({@code CAMFLOW_MAX_VIEWERS})
 * @param perStream viewers of one stream ({@code CAMFLOW_MAX_VIEWERS_PER_STREAM})
 * @param perUser viewers of one user, all streams and protocols ({@code
 *     CAMFLOW_MAX_VIEWERS_PER_USER})
 * @param perAddress viewers from one client address ({@link AddressShare}) ({@code
 *     CAMFLOW_MAX_VIEWERS_PER_ADDRESS})
 * @param held LL-HLS requests held waiting, all streams ({@code CAMFLOW_MAX_HELD_REQUESTS})
 * @param heldPerAddress of those, from one client address ({@code
 *     CAMFLOW_MAX_HELD_REQUESTS_PER_ADDRESS})
 */
public record ViewerLimits(
    int total, int perStream, int perUser, int perAddress, int held, int heldPerAddress) {

  public static final int DEFAULT_TOTAL = 1000;
  public static final int DEFAULT_PER_STREAM = 200;

  /** A video wall of one account, or a family sharing one, stays well under it. */
  public static final int DEFAULT_PER_USER = 50;

  /** A household or an office behind one NAT address: several users, several viewers each. */
  public static final int DEFAULT_PER_ADDRESS = 100;

  /**
   * An LL-HLS player holds two (the playlist reload and the hinted part): twice that for a full
   * house.
   */
  public static final int DEFAULT_HELD = 4000;

  public static final int DEFAULT_HELD_PER_ADDRESS = 400;

  public ViewerLimits {
    if (total < 1 || perStream < 1) {
      throw new IllegalArgumentException(
          "CAMFLOW_MAX_VIEWERS and CAMFLOW_MAX_VIEWERS_PER_STREAM must be at least 1, were "
              + total
              + " and "
              + perStream);
    }
    if (perUser < 0 || perAddress < 0) {
      throw new IllegalArgumentException(
          "CAMFLOW_MAX_VIEWERS_PER_USER and CAMFLOW_MAX_VIEWERS_PER_ADDRESS must be "
              + "0 (no share) or more, were "
              + perUser
              + " and "
              + perAddress);
    }
    if (held < 1 || heldPerAddress < 0) {
      throw new IllegalArgumentException(
          "CAMFLOW_MAX_HELD_REQUESTS must be at least 1 and "
              + "CAMFLOW_MAX_HELD_REQUESTS_PER_ADDRESS 0 (no share) or more, were "
              + held
              + " and "
              + heldPerAddress);
    }
  }

  /** These totals with the default shares. */
  public ViewerLimits(int total, int perStream) {
    this(
        total,
        perStream,
        DEFAULT_PER_USER,
        DEFAULT_PER_ADDRESS,
        DEFAULT_HELD,
        DEFAULT_HELD_PER_ADDRESS);
  }

  public static ViewerLimits defaults() {
    return new ViewerLimits(DEFAULT_TOTAL, DEFAULT_PER_STREAM);
  }

  /** {@code delivery.viewers.*}. */
  public static ViewerLimits from(Settings settings) {
    return new ViewerLimits(
        settings.get(CamflowOptions.MAX_VIEWERS),
        settings.get(CamflowOptions.MAX_VIEWERS_PER_STREAM),
        settings.get(CamflowOptions.MAX_VIEWERS_PER_USER),
        settings.get(CamflowOptions.MAX_VIEWERS_PER_ADDRESS),
        settings.get(CamflowOptions.MAX_HELD_REQUESTS),
        settings.get(CamflowOptions.MAX_HELD_REQUESTS_PER_ADDRESS));
  }

  /** These limits with other totals, the shares kept. */
  public ViewerLimits withTotals(int total, int perStream) {
    return new ViewerLimits(total, perStream, perUser, perAddress, held, heldPerAddress);
  }

  /** These limits with other shares of one user and one address. */
  public ViewerLimits withShares(int perUser, int perAddress) {
    return new ViewerLimits(total, perStream, perUser, perAddress, held, heldPerAddress);
  }

  /** These limits with other caps on held LL-HLS requests. */
  public ViewerLimits withHeld(int held, int heldPerAddress) {
    return new ViewerLimits(total, perStream, perUser, perAddress, held, heldPerAddress);
  }
}
