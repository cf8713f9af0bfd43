package io.camflow.ingest.config;

import java.util.Objects;

/**
 * A camera password. Its text leaves only through {@link #reveal()}: {@code toString()} prints
 * {@code ****}, {@code hashCode()} is the same for every secret (a hash would be a fingerprint of
 * the password) and {@code equals()} compares in constant time.
 */
public final class Secret {

  private static final String MASK = "****";

  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    return new Secret(value.toCharArray());
  }

  /** The password in clear text, for the one place that needs it: the RTSP authenticator. */
  public String reveal() {
    return new String(value);
  }

  /** A copy of the password the caller may wipe after use. */
  public char[] revealChars() {
    return value.clone();
  }

  public boolean isEmpty() {
    return value.length == 0;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Secret other)) {
      return false;
    }
    // No early exit: how long a comparison takes must not tell how much of a guess was right.
    char[] a = value;
    char[] b = other.value;
    int diff = a.length ^ b.length;
    for (int i = 0, n = Math.max(a.length, b.length); i < n; i++) {
      diff |= (i < a.length ? a[i] : 0) ^ (i < b.length ? b[i] : 0);
    }
    return diff == 0;
  }

  @Override
  public int hashCode() {
    return 0x5ec7e7;
  }

  @Override
  public String toString() {
    return MASK;
  }
}
