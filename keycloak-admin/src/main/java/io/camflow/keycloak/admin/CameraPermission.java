package io.camflow.keycloak.admin;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One camera and action, and the Keycloak names that stand for it: the client role {@code
 * camera:<id>:<action>} (what tokens carry) and the group {@code camera-<id>-<action>} (how it is
 * granted).
 *
 * @param camera a camera id: {@code [a-z0-9][a-z0-9_-]{0,63}}, so that both names stay unambiguous
 *     and URL-safe
 */
public record CameraPermission(String camera, Action action) {

  /** Camera ids camflow accepts. Lower case only: Keycloak compares role names case-sensitively. */
  public static final Pattern CAMERA_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  public CameraPermission {
    requireCameraId(camera);
    Objects.requireNonNull(action, "action");
  }

  /** {@code camera:<id>:<action>}, a client role of client {@code camflow}. */
  public String roleName() {
    return "camera:" + camera + ":" + action.id();
  }

  /** {@code camera-<id>-<action>}, a top-level group carrying exactly {@link #roleName()}. */
  public String groupName() {
    return "camera-" + camera + "-" + action.id();
  }

  /** Role description shown in the admin console. */
  String roleDescription() {
    return switch (action) {
      case LIVE -> "Watch camera " + camera + " live";
      case DVR -> "Play back camera " + camera + "'s recordings (DVR)";
      case PUBLISH -> "Publish camera " + camera + "'s streams into camflow (RTSP)";
    };
  }

  /**
   * @return {@code camera}
   * @throws IllegalArgumentException unless it matches {@link #CAMERA_ID}
   */
  public static String requireCameraId(String camera) {
    if (camera == null || !CAMERA_ID.matcher(camera).matches()) {
      throw new IllegalArgumentException(
          "not a camera id (lower case letters, digits, '-' and '_',"
              + " starting with a letter or digit, at most 64 characters): "
              + (camera == null ? "null" : "'" + abbreviate(camera) + "'"));
    }
    return camera;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
