package io.camflow.delivery.auth;

/**
 * A token delivery does not accept, or cannot check right now (the realm's keys unreachable).
 * The message says why in words safe for a log (never the token itself).
 */
public final class InvalidTokenException extends Exception {

  private final boolean keysUnavailable;

  public InvalidTokenException(String reason) {
    this(reason, false);
  }

  private InvalidTokenException(String reason, boolean keysUnavailable) {
    super(reason, null, false, false);
    this.keysUnavailable = keysUnavailable;
  }

  /** The token may be fine, but the realm's keys could not be fetched to check it. */
  public static InvalidTokenException keysUnavailable(String reason) {
    return new InvalidTokenException(reason, true);
  }

  public boolean keysUnavailable() {
    return keysUnavailable;
  }
}
