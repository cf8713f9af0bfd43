package io.camflow.delivery.sessions;

/**
 * Why delivery ends a viewer's session on its own account, because of the token it runs on ({@link
 * TokenLease}). Each protocol tells the viewer in its own way: MSE an {@code ended} event with
 * {@link #id()} and a WebSocket close 1008 with {@link #reason()}; WebRTC closes DTLS and drops the
 * WHEP session resource.
 */
public enum Ending {
  /** The token's {@code exp} plus the grace period passed and no fresh token came. */
  TOKEN_EXPIRED("token-expired", "the access token expired"),
  /**
   * The user may no longer watch the camera (a revoked grant, or a fresh token without the
   * permission).
   */
  ACCESS_REVOKED("access-revoked", "access to the camera was revoked"),
  /** A fresh token was not valid, or was another user's. */
  TOKEN_REFUSED("token-refused", "the new access token was refused");

  private final String id;
  private final String reason;

  Ending(String id, String reason) {
    this.id = id;
    this.reason = reason;
  }

  /** The word the MSE protocol and the docs use. */
  public String id() {
    return id;
  }

  /** A sentence safe to show a viewer (and short enough for a WebSocket close reason). */
  public String reason() {
    return reason;
  }
}
