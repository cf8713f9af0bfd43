package io.camflow.media.sdp;

import java.util.Locale;

/** RFC 4145 / RFC 8842 {@code a=setup}: which side opens the DTLS association. */
public enum Setup {
  ACTPASS,
  ACTIVE,
  PASSIVE,
  HOLDCONN;

  public String attribute() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Setup parse(String value) {
    for (Setup s : values()) {
      if (s.attribute().equalsIgnoreCase(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("setup must be actpass, active, passive or holdconn");
  }
}
