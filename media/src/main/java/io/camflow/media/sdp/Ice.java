package io.camflow.media.sdp;

import java.util.List;

/**
 * ICE parameters of one side (RFC 8839 5.4): credentials and options; any part may be absent (null
 * / empty) at one level and given at the other.
 */
public record Ice(String ufrag, String pwd, List<String> options) {

  static final Ice NONE = new Ice(null, null, List.of());

  public Ice {
    options = List.copyOf(options);
  }

  /** This level's values, the other level's where this one has none. */
  Ice or(Ice fallback) {
    return new Ice(
        ufrag != null ? ufrag : fallback.ufrag,
        pwd != null ? pwd : fallback.pwd,
        options.isEmpty() ? fallback.options : options);
  }

  /** The password is a credential: never printed. */
  @Override
  public String toString() {
    return "Ice[ufrag="
        + ufrag
        + ", pwd="
        + (pwd == null ? "none" : "…")
        + ", options="
        + options
        + "]";
  }
}
