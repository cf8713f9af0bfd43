package io.camflow.keycloak.admin;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * camflow's Keycloak admin clients from the environment, the same variables for every service:
 * {@code CAMFLOW_KEYCLOAK_URL} ({@code http://localhost:8180}), {@code CAMFLOW_KEYCLOAK_REALM}
 * ({@code camflow}), {@code CAMFLOW_KEYCLOAK_CLIENT_ID} ({@code camflow-services}) and
 * {@code CAMFLOW_KEYCLOAK_CLIENT_SECRET} (no default: without it there is no admin client); for ingest only,
 * the account that provisions cameras: {@code CAMFLOW_KEYCLOAK_PROVISIONER_CLIENT_ID}
 * ({@code camflow-provisioner}) and {@code CAMFLOW_KEYCLOAK_PROVISIONER_SECRET} (no default: no provisioning).
 */
public final class AdminEnvironment {

    public static final String URL = "CAMFLOW_KEYCLOAK_URL";
    public static final String REALM = "CAMFLOW_KEYCLOAK_REALM";
    public static final String CLIENT_ID = "CAMFLOW_KEYCLOAK_CLIENT_ID";
    public static final String CLIENT_SECRET = "CAMFLOW_KEYCLOAK_CLIENT_SECRET";
    public static final String PROVISIONER_CLIENT_ID = "CAMFLOW_KEYCLOAK_PROVISIONER_CLIENT_ID";
    public static final String PROVISIONER_SECRET = "CAMFLOW_KEYCLOAK_PROVISIONER_SECRET";

    private AdminEnvironment() {}

    /**
     * The settings of camflow's own account, or empty when no client secret is set.
     *
     * @throws IllegalArgumentException naming the variable that is wrong (never the secret's value)
     */
    public static Optional<AdminSettings> read(Map<String, String> env) {
        return read(env, CLIENT_ID, "camflow-services", CLIENT_SECRET);
    }

    /**
     * The settings of the account that provisions cameras (as powerful as a realm administrator: ingest reads
     * it, delivery never does), or empty when {@code CAMFLOW_KEYCLOAK_PROVISIONER_SECRET} is not set.
     *
     * @throws IllegalArgumentException naming the variable that is wrong (never the secret's value)
     */
    public static Optional<AdminSettings> readProvisioner(Map<String, String> env) {
        return read(env, PROVISIONER_CLIENT_ID, "camflow-provisioner", PROVISIONER_SECRET);
    }

    private static Optional<AdminSettings> read(Map<String, String> env, String clientIdVariable,
                                                String defaultClientId, String secretVariable) {
        String secret = env.get(secretVariable);
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String url = env.getOrDefault(URL, "http://localhost:8180").trim();
        URI server;
        try {
            server = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL + " is not a URL: '" + url + "'");
        }
        try {
            return Optional.of(new AdminSettings(server, env.getOrDefault(REALM, "camflow").trim(),
                    env.getOrDefault(clientIdVariable, defaultClientId).trim(), secret.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CAMFLOW_KEYCLOAK_*: " + e.getMessage());
        }
    }
}
