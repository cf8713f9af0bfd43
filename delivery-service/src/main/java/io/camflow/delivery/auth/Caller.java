package io.camflow.delivery.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who sent a request, as their verified access token says: the user and camflow's roles of the
 * realm (docs/permissions.md). {@code camera:<id>:<action>} allows one action on one camera; {@code
 * camflow:admin} allows everything, also on cameras added after the token was issued.
 *
 * @param subject the token's {@code sub} (stable user id), may be empty
 * @param username the token's {@code preferred_username}, may be empty
 * @param roles the roles of camflow's client in the token
 * @param expiresAt the token's {@code exp}
 */
public record Caller(String subject, String username, Set<String> roles, Instant expiresAt) {

  public static final String ADMIN_ROLE = "camflow:admin";
  public static final String LIVE = "live";
  public static final String DVR = "dvr";
  public static final String PUBLISH = "publish";

  /** Whoever asks when auth is off: everything is allowed. */
  public static final Caller NOBODY_CHECKED =
      new Caller("", "anonymous", Set.of(ADMIN_ROLE), Instant.MAX);

  public Caller {
    subject = subject == null ? "" : subject;
    username = username == null ? "" : username;
    roles = Set.copyOf(roles);
  }

  public boolean isAdmin() {
    return roles.contains(ADMIN_ROLE);
  }

  /**
   * Whether this caller may do {@code action} ({@link #LIVE}, {@link #DVR}, {@link #PUBLISH}) on
   * {@code camera}.
   */
  public boolean may(String camera, String action) {
    return isAdmin() || roles.contains("camera:" + camera + ":" + action);
  }

  public boolean mayWatchLive(String camera) {
    return may(camera, LIVE);
  }

  /** Whether this caller may push a stream of {@code camera} into camflow (RTSP ANNOUNCE). */
  public boolean mayPublish(String camera) {
    return may(camera, PUBLISH);
  }

  /**
   * The cameras named in this caller's roles and the actions on each (the admin's are not listed:
   * all).
   */
  public Map<String, Set<String>> cameras() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String role : roles) {
      String[] p = role.split(":", -1);
      if (p.length == 3 && p[0].equals("camera") && !p[1].isEmpty() && !p[2].isEmpty()) {
        out.computeIfAbsent(p[1], k -> new TreeSet<>()).add(p[2]);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return username.isEmpty() ? "user " + subject : username;
  }
}
