package io.camflow.delivery.auth;

/**
 * A token delivery does not accept, or cannot check right now. The message says why in words safe
 * for a log (never the token itself).
 */
public final class InvalidTokenException extends Exception {

  /** Why, as far as the answer and the failure budget are concerned. */
  public enum Kind {
    /** not a valid access token for camflow: 401, a failure of the caller */
    INVALID,
    /**
     * signed with a key not among the realm's keys fetched a moment ago (a key rotated just now, or
     * a forged {@code kid}): 503 with Retry-After until the keys may be fetched again, a failure
     * too
     */
    KEY_NOT_YET_KNOWN,
    /** the realm's keys could not be fetched to check it: 503, not the caller's failure */
    KEYS_UNAVAILABLE
  }

  private final Kind kind;
  private final long retryAfterSeconds;

  public InvalidTokenException(String reason) {
    this(reason, Kind.INVALID, 0);
  }

  private InvalidTokenException(String reason, Kind kind, long retryAfterSeconds) {
    super(reason, null, false, false);
    this.kind = kind;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The token may be fine, but the realm's keys could not be fetched to check it. */
  public static InvalidTokenException keysUnavailable(String reason) {
    return new InvalidTokenException(reason, Kind.KEYS_UNAVAILABLE, 5);
  }

  /** The token's key is not among the keys fetched less than the least interval ago. */
  public static InvalidTokenException keyNotYetKnown(String reason, long retryAfterSeconds) {
    return new InvalidTokenException(reason, Kind.KEY_NOT_YET_KNOWN, retryAfterSeconds);
  }

  public Kind kind() {
    return kind;
  }

  /** Seconds after which asking again may succeed (Retry-After); 0 for an invalid token. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public boolean keysUnavailable() {
    return kind == Kind.KEYS_UNAVAILABLE;
  }
}
