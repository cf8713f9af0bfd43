package io.camflow.keycloak.admin;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Option;
import io.camflow.options.Settings;
import java.util.Optional;

/**
 * camflow's Keycloak admin clients from the settings, the same options for every service
 * (docs/configuration.md): {@code keycloak.url}, {@code keycloak.realm}, {@code keycloak.clientId}
 * and {@code keycloak.clientSecret} (no default: without it there is no admin client); for ingest
 * only, the account that provisions cameras: {@code keycloak.provisionerClientId} and {@code
 * keycloak.provisionerSecret} (no default: no provisioning).
 */
public final class AdminEnvironment {

  private AdminEnvironment() {}

  /** The settings of camflow's own account, or empty when no client secret is set. */
  public static Optional<AdminSettings> read(Settings settings) {
    return read(settings, CamflowOptions.KEYCLOAK_CLIENT_ID, CamflowOptions.KEYCLOAK_CLIENT_SECRET);
  }

  /**
   * The settings of the account that provisions cameras (as powerful as a realm administrator:
   * ingest reads it, delivery never does), or empty when {@code keycloak.provisionerSecret} is not
   * set.
   */
  public static Optional<AdminSettings> readProvisioner(Settings settings) {
    return read(
        settings,
        CamflowOptions.KEYCLOAK_PROVISIONER_CLIENT_ID,
        CamflowOptions.KEYCLOAK_PROVISIONER_SECRET);
  }

  private static Optional<AdminSettings> read(
      Settings settings, Option<String> clientId, Option<String> secret) {
    return settings
        .find(secret)
        .filter(s -> !s.isBlank())
        .map(
            s ->
                new AdminSettings(
                    settings.get(CamflowOptions.KEYCLOAK_URL),
                        settings.get(CamflowOptions.KEYCLOAK_REALM),
                    settings.get(clientId), s.strip()));
  }
}
