package io.camflow.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.localprocess.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Keycloak started as {@code ./camflow up} starts it: the bundled realm with a generated
 * secrets folder ({@link RealmSecrets}). No well-known secret or password works, the generated ones
 * do, and the password grant of {@code camflow-web} is off.
 */
class RealmSecretsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path tmp;
  private static LocalKeycloak kc;
  private static RealmSecrets secrets;

  @BeforeAll
  static void start() throws IOException {
    secrets = RealmSecrets.read(RealmSecretsTest.writeSecrets(tmp.resolve("secrets")));
    int[] ports = FreePorts.find(2);
    kc = LocalKeycloak.start(ports[0], ports[1], tmp.resolve("keycloak.log"), secrets);
    System.out.println(
        "RealmSecretsIT: " + kc + " ready in " + kc.startupTime().toMillis() + " ms");
  }

  @AfterAll
  static void stop() {
    if (kc != null) {
      kc.close();
    }
  }

  @Test
  void wellKnownPasswordsAreRefusedAndGeneratedOnesWork() throws Exception {
    URI redirect =
        kc.baseUrl().resolve("/"); // camflow-web's redirect URIs are relative: its own origin
    for (String user : RealmSecrets.USERS) {
      // the login page, as the web viewer signs in
      assertTrue(
          LoginForm.accessToken(kc.issuer(), redirect, user, user).isEmpty(), user + "/" + user);
      String token =
          LoginForm.accessToken(kc.issuer(), redirect, user, secrets.userPassword(user))
              .orElseThrow(() -> new AssertionError(user + "'s generated password was refused"));
      JsonNode claims =
          JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
      assertEquals(user, claims.path("preferred_username").asText());
    }
  }

  @Test
  void thePasswordGrantIsOffForTheWebClientAndKeycloaksOwn() throws Exception {
    for (String client : new String[] {RealmSecrets.WEB_CLIENT, RealmSecrets.ADMIN_CLI}) {
      HttpResponse<String> r =
          passwordGrant(kc.issuer(), client, "viewer", secrets.userPassword("viewer"));
      assertFalse(r.statusCode() == 200, client + " still allows the password grant");
      assertEquals(
          "unauthorized_client",
          JSON.readTree(r.body()).path("error").asText(),
          client + ": " + r.body());
    }
  }

  @Test
  void wellKnownClientSecretsAreRefusedAndGeneratedOnesWork() throws Exception {
    for (String client : RealmSecrets.CLIENTS) {
      String known = client + "-local-secret";
      HttpResponse<String> refused = clientCredentials(client, known);
      assertEquals(401, refused.statusCode(), client + " with " + known);
      assertFalse(refused.body().contains("access_token"));
      HttpResponse<String> ok = clientCredentials(client, secrets.clientSecret(client));
      assertEquals(200, ok.statusCode(), client + ": " + ok.statusCode());
    }
  }

  @Test
  void theMasterAdminHasTheGeneratedPasswordOnly() throws Exception {
    URI master = URI.create(kc.baseUrl() + "/realms/master");
    assertEquals(
        400,
        passwordGrant(
                master, "admin-cli", LocalKeycloak.BOOTSTRAP_ADMIN, LocalKeycloak.BOOTSTRAP_ADMIN)
            .statusCode(),
        "master admin/admin");
    assertEquals(
        200,
        passwordGrant(
                master, "admin-cli", LocalKeycloak.BOOTSTRAP_ADMIN, secrets.masterAdminPassword())
            .statusCode());
  }

  @Test
  void theImportFileWithTheSecretsIsGoneOnceImported() throws IOException {
    Path imported = kc.home().resolve("data/import").resolve(LocalKeycloak.IMPORT_FILE);
    assertFalse(Files.exists(imported), imported + " still holds the generated secrets");
    String log = Files.readString(kc.logFile());
    for (String user : RealmSecrets.USERS) {
      assertFalse(
          log.contains(secrets.userPassword(user)), "the server log has " + user + "'s password");
    }
    assertFalse(
        log.contains(secrets.masterAdminPassword()),
        "the server log has the master admin's password");
  }

  private static HttpResponse<String> passwordGrant(
      URI realm, String client, String user, String password) throws Exception {
    return post(
        URI.create(realm + "/protocol/openid-connect/token"),
        Map.of(
            "grant_type", "password", "client_id", client, "username", user, "password", password));
  }

  private static HttpResponse<String> clientCredentials(String client, String secret)
      throws Exception {
    return post(
        kc.tokenEndpoint(),
        Map.of("grant_type", "client_credentials", "client_id", client, "client_secret", secret));
  }

  private static HttpResponse<String> post(URI uri, Map<String, String> form) throws Exception {
    String body =
        new LinkedHashMap<>(form)
            .entrySet().stream()
                .map(
                    e ->
                        URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                            + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
