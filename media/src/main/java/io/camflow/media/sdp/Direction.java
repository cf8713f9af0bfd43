package io.camflow.media.sdp;

import java.util.Locale;

/** RFC 8866 6.7 media direction, as seen by the side that wrote the description. */
public enum Direction {
  SENDRECV,
  SENDONLY,
  RECVONLY,
  INACTIVE;

  /** The attribute name, e.g. {@code sendonly}. */
  public String attribute() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the writer of the description is willing to receive media. */
  public boolean receives() {
    return this == SENDRECV || this == RECVONLY;
  }

  static Direction fromAttribute(String name) {
    for (Direction d : values()) {
      if (d.attribute().equals(name)) {
        return d;
      }
    }
    return null;
  }
}
