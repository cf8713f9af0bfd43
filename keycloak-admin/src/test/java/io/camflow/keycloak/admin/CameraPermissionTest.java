package io.camflow.keycloak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CameraPermissionTest {

  @Test
  void namesFollowDocsPermissions() {
    CameraPermission live = new CameraPermission("garage", Action.LIVE);
    assertEquals("camera:garage:live", live.roleName());
    assertEquals("camera-garage-live", live.groupName());
    CameraPermission dvr = new CameraPermission("back_door-2", Action.DVR);
    assertEquals("camera:back_door-2:dvr", dvr.roleName());
    assertEquals("camera-back_door-2-dvr", dvr.groupName());
    CameraPermission publish = new CameraPermission("garage", Action.PUBLISH);
    assertEquals("camera:garage:publish", publish.roleName());
    assertEquals("camera-garage-publish", publish.groupName());
  }

  @Test
  void everyActionHasADescriptionNamingTheCamera() {
    for (Action a : Action.values()) {
      String description = new CameraPermission("garage", a).roleDescription();
      assertTrue(description.contains("garage"), description);
    }
    assertEquals(
        "Publish camera garage's streams into camflow (RTSP)",
        new CameraPermission("garage", Action.PUBLISH).roleDescription());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "0", "demo", "it-1f2e", "cam_01", "a-"})
  void acceptsCameraIds(String id) {
    assertEquals(id, CameraPermission.requireCameraId(id));
  }

  @Test
  void acceptsSixtyFourCharactersAtMost() {
    String max = "a".repeat(64);
    assertEquals(max, CameraPermission.requireCameraId(max));
    assertThrows(IllegalArgumentException.class, () -> CameraPermission.requireCameraId(max + "a"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Garage", "-a", "_a", "a b", "a:b", "a/b", "a.b", "ü", "garage\n"})
  void rejectsOthers(String id) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new CameraPermission(id, Action.LIVE));
    assertTrue(e.getMessage().contains("camera id"), e.getMessage());
  }

  @Test
  void rejectsNull() {
    assertThrows(IllegalArgumentException.class, () -> CameraPermission.requireCameraId(null));
    assertThrows(NullPointerException.class, () -> new CameraPermission("garage", null));
  }
}
