package io.camflow.keycloak.admin;

import java.util.Optional;

/** What a camera permission allows: the last part of the role {@code camera:<id>:<action>}. */
public enum Action {
  /** Live view (HLS/LL-HLS, WebSocket/MSE, WebRTC). */
  LIVE("live"),
  /** Playback of recordings. Does not imply {@link #LIVE}. */
  DVR("dvr"),
  /**
   * Publishing a stream into camflow (RTSP ANNOUNCE/RECORD). Implies neither {@link #LIVE} nor
   * {@link #DVR}.
   */
  PUBLISH("publish");

  private final String id;

  Action(String id) {
    this.id = id;
  }

  /**
   * {@code "live"}, {@code "dvr"} or {@code "publish"}: as it appears in role names, group names
   * and URLs.
   */
  public String id() {
    return id;
  }

  /**
   * The action with this exact id (lower case, as in role names); empty for anything else,
   * including null.
   */
  public static Optional<Action> parse(String id) {
    for (Action a : values()) {
      if (a.id.equals(id)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
