package io.camflow.delivery.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CAMFLOW_AUTH* variables as {@link AuthSettings#from} reads them (docs/delivery.md). */
class AuthSettingsTest {

  /** The first problem the settings report, without the heading of the list. */
  static String error(Map<String, String> env) {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> AuthSettings.from(io.camflow.options.Settings.fromEnvironment(env)))
            .getMessage();
    return message.contains("\n  ") ? message.substring(message.indexOf("\n  ") + 3) : message;
  }

  @Test
  void tokensOfTheWebClientOnlyByDefault() {
    assertEquals(
        Set.of("camflow-web"),
        AuthSettings.from(io.camflow.options.Settings.fromEnvironment(Map.of())).clients());
    assertEquals(
        Set.of("my-web"),
        AuthSettings.from(
                io.camflow.options.Settings.fromEnvironment(
                    Map.of("CAMFLOW_AUTH_WEB_CLIENT", "my-web")))
            .clients(),
        "the web client the viewer logs in with");
  }

  @Test
  void allowedClientsAreAList() {
    AuthSettings s =
        AuthSettings.from(
            io.camflow.options.Settings.fromEnvironment(
                Map.of("CAMFLOW_AUTH_CLIENTS", " camflow-web, nvr-app ,scripts")));
    assertEquals(Set.of("camflow-web", "nvr-app", "scripts"), s.clients());
    assertTrue(s.toString().contains("camflow-web,nvr-app,scripts"), s.toString());
    assertTrue(
        error(Map.of("CAMFLOW_AUTH_CLIENTS", "camflow-web,,x")).startsWith("CAMFLOW_AUTH_CLIENTS"));
    assertTrue(
        error(Map.of("CAMFLOW_AUTH_CLIENTS", "camflow web")).startsWith("CAMFLOW_AUTH_CLIENTS"));
    assertThrows(
        IllegalArgumentException.class,
        () -> AuthSettings.keycloak(AuthSettings.LOCAL_ISSUER).withClients(Set.of()));
  }

  @Test
  void offNeedsNoneOfThem() {
    assertFalse(
        AuthSettings.from(
                io.camflow.options.Settings.fromEnvironment(
                    Map.of("CAMFLOW_AUTH", "off", "CAMFLOW_AUTH_CLIENTS", "x")))
            .enabled());
  }
}
