package io.camflow.keycloak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.options.Settings;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminEnvironmentTest {

  static Settings settings(Map<String, String> env) {
    return Settings.fromEnvironment(env);
  }

  @Test
  void camflowsOwnAccountNeedsItsSecret() {
    assertEquals(Optional.empty(), AdminEnvironment.read(settings(Map.of())));
    assertEquals(
        Optional.empty(),
        AdminEnvironment.read(settings(Map.of("CAMFLOW_KEYCLOAK_CLIENT_SECRET", " "))));
    AdminSettings s =
        AdminEnvironment.read(settings(Map.of("CAMFLOW_KEYCLOAK_CLIENT_SECRET", "a")))
            .orElseThrow();
    assertEquals(
        new AdminSettings(URI.create("http://localhost:8180"), "camflow", "camflow-services", "a"),
        s);
  }

  /**
   * The provisioner is as good as a realm administrator: only its own variables bring it, never
   * camflow's.
   */
  @Test
  void theProvisionerComesOnlyFromItsOwnVariables() {
    Map<String, String> services =
        Map.of("CAMFLOW_KEYCLOAK_CLIENT_SECRET", "a", "CAMFLOW_KEYCLOAK_CLIENT_ID", "x");
    assertEquals(Optional.empty(), AdminEnvironment.readProvisioner(settings(services)));
    Map<String, String> both =
        Map.of(
            "CAMFLOW_KEYCLOAK_CLIENT_SECRET",
            "a",
            "CAMFLOW_KEYCLOAK_PROVISIONER_SECRET",
            "p",
            "CAMFLOW_KEYCLOAK_URL",
            "https://sso.example.com",
            "CAMFLOW_KEYCLOAK_REALM",
            "cams");
    assertEquals(
        new AdminSettings(
            URI.create("https://sso.example.com"), "cams", "camflow-provisioner", "p"),
        AdminEnvironment.readProvisioner(settings(both)).orElseThrow());
    assertEquals(
        "camflow-services", AdminEnvironment.read(settings(both)).orElseThrow().clientId());
    assertEquals(
        "prov",
        AdminEnvironment.readProvisioner(
                settings(
                    Map.of(
                        "CAMFLOW_KEYCLOAK_PROVISIONER_SECRET",
                        "p",
                        "CAMFLOW_KEYCLOAK_PROVISIONER_CLIENT_ID",
                        " prov ")))
            .orElseThrow()
            .clientId());
  }

  @Test
  void aBadUrlNamesTheVariableNotTheSecret() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AdminEnvironment.readProvisioner(
                    settings(
                        Map.of(
                            "CAMFLOW_KEYCLOAK_PROVISIONER_SECRET",
                            "hidden-value",
                            "CAMFLOW_KEYCLOAK_URL",
                            "ftp://x"))));
    assertTrue(e.getMessage().contains("CAMFLOW_KEYCLOAK_"), e.getMessage());
    assertFalse(e.getMessage().contains("hidden-value"), e.getMessage());
  }
}
