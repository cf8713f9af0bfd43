package io.camflow.delivery.sessions;

/**
 * How many viewers one delivery instance takes, whatever their protocol ({@code CAMFLOW_MAX_VIEWERS},
 * {@code CAMFLOW_MAX_VIEWERS_PER_STREAM}, docs/delivery.md).
 *
 * @param total viewers of all streams together
 * @param perStream viewers of one stream
 */
public record ViewerLimits(int total, int perStream) {

  public ViewerLimits {
    if (total < 1 || perStream < 1) {
      throw new IllegalArgumentException("CAMFLOW_MAX_VIEWERS and CAMFLOW_MAX_VIEWERS_PER_STREAM must be at least 1, were "
          + total + " and " + perStream);
    }
  }
}
