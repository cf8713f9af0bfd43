package io.camflow.keycloak.admin;

/**
 * Keycloak has no permission role for this camera (HTTP 404 for camflow's API): it was never {@link
 * CameraAccess#ensureCamera ensured}, or its roles were deleted.
 */
public class UnknownCameraException extends AdminException {

  private final String camera;

  public UnknownCameraException(String camera, String detail) {
    super("camera '" + camera + "' is unknown to Keycloak: " + detail);
    this.camera = camera;
  }

  public String camera() {
    return camera;
  }
}
