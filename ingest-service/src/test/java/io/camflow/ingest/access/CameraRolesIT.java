package io.camflow.ingest.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.admin.AdminSettings;
import io.camflow.keycloak.admin.CameraAccess;
import io.camflow.keycloak.admin.CameraAccessList;
import io.camflow.keycloak.admin.UnknownCameraException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A configured camera gets its roles and groups in the real local Keycloak when ingest starts. */
class CameraRolesIT {

  static final LocalKeycloak KC = LocalKeycloak.shared();

  static AdminSettings admin() {
    return new AdminSettings(
        KC.baseUrl(), "camflow", "camflow-services", "camflow-services-local-secret");
  }

  /** The local realm's provisioning account, as ./camflow up gives it to ingest. */
  static AdminSettings provisioner() {
    return new AdminSettings(
        KC.baseUrl(), "camflow", "camflow-provisioner", "camflow-provisioner-local-secret");
  }

  @Test
  void everyConfiguredCameraGetsItsRolesAndGroups() throws Exception {
    String a = "ingest-" + Long.toString(System.nanoTime(), 36);
    String b = a + "-b";
    try (CameraAccess check = new CameraAccess(admin())) {
      assertThrows(UnknownCameraException.class, () -> check.who(a), "not there before");
      CameraRoles roles = new CameraRoles(new CameraAccess(admin(), provisioner()));
      roles.accept(a);
      roles.accept(b);
      roles.start();
      assertTrue(roles.awaitDone(Duration.ofSeconds(60)), "provisioned");
      roles.close();
      for (String camera : List.of(a, b)) {
        CameraAccessList list =
            check.who(camera); // throws UnknownCameraException without its roles
        assertEquals(camera, list.camera());
        assertTrue(list.live().groups().contains("camera-" + camera + "-live"), list.toString());
        assertTrue(list.dvr().groups().contains("camera-" + camera + "-dvr"), list.toString());
        assertTrue(
            list.publish().groups().contains("camera-" + camera + "-publish"), list.toString());
      }
    }
  }

  /**
   * A camera the registry brings while ingest runs is queued behind the file's and gets the same.
   */
  @Test
  void aCameraAddedLaterGetsItsRolesFromTheSameQueue() throws Exception {
    String d = "ingest-" + Long.toString(System.nanoTime(), 36) + "-d";
    try (CameraAccess check = new CameraAccess(admin());
        CameraRoles roles = new CameraRoles(new CameraAccess(admin(), provisioner()))) {
      roles.start();
      assertTrue(roles.awaitDone(Duration.ofSeconds(1)), "nothing queued yet");
      roles.accept(d);
      assertTrue(roles.awaitDone(Duration.ofSeconds(60)), "provisioned");
      assertTrue(check.who(d).live().groups().contains("camera-" + d + "-live"));
    }
  }

  /**
   * Without the provisioner ingest only checks: a camera Keycloak does not know stays unknown,
   * nothing stops.
   */
  @Test
  void withoutTheProvisionerACameraIsCheckedNotCreated() throws Exception {
    String c = "ingest-" + Long.toString(System.nanoTime(), 36) + "-c";
    CameraRoles roles = new CameraRoles(new CameraAccess(admin()));
    roles.accept(c);
    roles.accept("demo");
    roles.start();
    assertTrue(roles.awaitDone(Duration.ofSeconds(60)), "handled, not retried");
    roles.close();
    try (CameraAccess check = new CameraAccess(admin())) {
      assertThrows(UnknownCameraException.class, () -> check.who(c));
      assertTrue(check.who("demo").live().groups().contains("camera-demo-live"));
    }
  }

  @Test
  void keycloakNotThereYetIsRetriedNotFatal() throws Exception {
    // a port nobody listens on: the provisioner keeps retrying in the background and stops on close
    AdminSettings nowhere =
        new AdminSettings(
            java.net.URI.create("http://127.0.0.1:" + io.camflow.localprocess.FreePorts.find()),
            "camflow",
            "camflow-services",
            "camflow-services-local-secret");
    CameraRoles roles = new CameraRoles(new CameraAccess(nowhere));
    roles.accept("somewhere");
    roles.start();
    assertEquals(false, roles.awaitDone(Duration.ofSeconds(3)), "still trying");
    roles.close();
  }
}
