package io.camflow.delivery.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

  @Test
  void cameraRolesAllowExactlyTheirCameraAndAction() {
    Caller viewer = new Caller("s", "viewer", Set.of("camera:demo:live"), Instant.MAX);
    assertTrue(viewer.mayWatchLive("demo"));
    assertFalse(viewer.may("demo", Caller.DVR), "dvr is separate");
    assertFalse(viewer.mayWatchLive("garage"));
    assertFalse(viewer.mayWatchLive("dem"), "no prefix match");
    assertFalse(viewer.isAdmin());
    assertEquals(Map.of("demo", Set.of("live")), viewer.cameras());
  }

  @Test
  void adminMayEverythingAlsoOnNewCameras() {
    Caller admin = new Caller("s", "admin", Set.of(Caller.ADMIN_ROLE), Instant.MAX);
    assertTrue(admin.mayWatchLive("added-later"));
    assertTrue(admin.may("added-later", Caller.DVR));
    assertTrue(admin.isAdmin());
  }

  @Test
  void noRolesNoAccess() {
    Caller outsider = new Caller("s", "outsider", Set.of(), Instant.MAX);
    assertFalse(outsider.mayWatchLive("demo"));
    assertTrue(outsider.cameras().isEmpty());
    Caller odd =
        new Caller(
            "s",
            "odd",
            Set.of("camera::live", "camera:demo", "other:demo:live", "camflow:admin2"),
            Instant.MAX);
    assertFalse(odd.mayWatchLive("demo"));
    assertFalse(odd.isAdmin());
    assertTrue(odd.cameras().isEmpty());
  }
}
