package io.camflow.keycloak.admin;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * camflow's Keycloak admin client from the environment, the same variables for every service:
 * {@code CAMFLOW_KEYCLOAK_URL} ({@code http://localhost:8180}), {@code CAMFLOW_KEYCLOAK_REALM}
 * ({@code camflow}), {@code CAMFLOW_KEYCLOAK_CLIENT_ID} ({@code camflow-services}) and
 * {@code CAMFLOW_KEYCLOAK_CLIENT_SECRET} (no default: without it there is no admin client).
 */
public final class AdminEnvironment {

    public static final String URL = "CAMFLOW_KEYCLOAK_URL";
    public static final String REALM = "CAMFLOW_KEYCLOAK_REALM";
    public static final String CLIENT_ID = "CAMFLOW_KEYCLOAK_CLIENT_ID";
    public static final String CLIENT_SECRET = "CAMFLOW_KEYCLOAK_CLIENT_SECRET";

    private AdminEnvironment() {}

    /**
     * The admin settings, or empty when no client secret is set.
     *
     * @throws IllegalArgumentException naming the variable that is wrong (never the secret's value)
     */
    public static Optional<AdminSettings> read(Map<String, String> env) {
        String secret = env.get(CLIENT_SECRET);
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
                    env.getOrDefault(CLIENT_ID, "camflow-services").trim(), secret.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CAMFLOW_KEYCLOAK_*: " + e.getMessage());
        }
    }
}
