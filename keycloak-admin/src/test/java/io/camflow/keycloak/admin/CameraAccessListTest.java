package io.camflow.keycloak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CameraAccessListTest {

  @Test
  void ofAnswersEachActionsGrants() {
    Grants live = new Grants(List.of("vera"), List.of("camera-garage-live"));
    Grants dvr = new Grants(List.of(), List.of("camera-garage-dvr"));
    Grants publish = new Grants(List.of("encoder"), List.of("camera-garage-publish"));
    CameraAccessList list = new CameraAccessList("garage", live, dvr, publish);
    assertEquals(live, list.of(Action.LIVE));
    assertEquals(dvr, list.of(Action.DVR));
    assertEquals(publish, list.of(Action.PUBLISH));
  }

  @Test
  void everyActionIsRequired() {
    Grants none = Grants.none();
    assertThrows(
        NullPointerException.class, () -> new CameraAccessList("garage", none, none, null));
    assertThrows(
        IllegalArgumentException.class, () -> new CameraAccessList("Garage", none, none, none));
  }
}
