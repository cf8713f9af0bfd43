package io.camflow.keycloak.admin;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminEnvironmentTest {

    @Test
    void camflowsOwnAccountNeedsItsSecret() {
        assertEquals(Optional.empty(), AdminEnvironment.read(Map.of()));
        assertEquals(Optional.empty(), AdminEnvironment.read(Map.of(AdminEnvironment.CLIENT_SECRET, " ")));
        AdminSettings s = AdminEnvironment.read(Map.of(AdminEnvironment.CLIENT_SECRET, "a")).orElseThrow();
        assertEquals(new AdminSettings(URI.create("http://localhost:8180"), "camflow", "camflow-services", "a"), s);
    }

    /** The provisioner is as good as a realm administrator: only its own variables bring it, never camflow's. */
    @Test
    void theProvisionerComesOnlyFromItsOwnVariables() {
        Map<String, String> services = Map.of(AdminEnvironment.CLIENT_SECRET, "a", AdminEnvironment.CLIENT_ID, "x");
        assertEquals(Optional.empty(), AdminEnvironment.readProvisioner(services));
        Map<String, String> both = Map.of(AdminEnvironment.CLIENT_SECRET, "a",
                AdminEnvironment.PROVISIONER_SECRET, "p", AdminEnvironment.URL, "https://sso.example.com",
                AdminEnvironment.REALM, "cams");
        assertEquals(new AdminSettings(URI.create("https://sso.example.com"), "cams", "camflow-provisioner", "p"),
                AdminEnvironment.readProvisioner(both).orElseThrow());
        assertEquals("camflow-services", AdminEnvironment.read(both).orElseThrow().clientId());
        assertEquals("prov", AdminEnvironment.readProvisioner(Map.of(AdminEnvironment.PROVISIONER_SECRET, "p",
                AdminEnvironment.PROVISIONER_CLIENT_ID, " prov ")).orElseThrow().clientId());
    }

    @Test
    void aBadUrlNamesTheVariableNotTheSecret() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminEnvironment.readProvisioner(
                Map.of(AdminEnvironment.PROVISIONER_SECRET, "hidden-value", AdminEnvironment.URL, "ftp://x")));
        assertTrue(e.getMessage().contains("CAMFLOW_KEYCLOAK_"), e.getMessage());
        assertFalse(e.getMessage().contains("hidden-value"), e.getMessage());
    }
}
