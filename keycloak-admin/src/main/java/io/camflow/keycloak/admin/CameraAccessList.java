package io.camflow.keycloak.admin;

import java.util.Objects;

/** Who may do what with one camera, as {@link CameraAccess#who} read it from Keycloak. */
public record CameraAccessList(String camera, Grants live, Grants dvr, Grants publish) {

  public CameraAccessList {
    CameraPermission.requireCameraId(camera);
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(dvr, "dvr");
    Objects.requireNonNull(publish, "publish");
  }

  /** {@link #live()}, {@link #dvr()} or {@link #publish()}. */
  public Grants of(Action action) {
    return switch (action) {
      case LIVE -> live;
      case DVR -> dvr;
      case PUBLISH -> publish;
    };
  }
}
