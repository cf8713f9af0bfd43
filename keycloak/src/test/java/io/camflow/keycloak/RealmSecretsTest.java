package io.camflow.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealmSecretsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** A secrets folder as ./camflow up writes it: folder 700, files 600, one fresh value each. */
  static Path writeSecrets(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    List<String> files = new ArrayList<>();
    RealmSecrets.CLIENTS.forEach(c -> files.add(RealmSecrets.clientFile(c)));
    RealmSecrets.USERS.forEach(u -> files.add(RealmSecrets.userFile(u)));
    files.add(RealmSecrets.MASTER_ADMIN_FILE);
    SecureRandom random = new SecureRandom();
    for (String f : files) {
      byte[] bytes = new byte[18];
      random.nextBytes(bytes);
      Path file = dir.resolve(f);
      Files.writeString(file, Base64.getUrlEncoder().encodeToString(bytes) + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    return dir;
  }

  /**
   * Every string value of the bundled realm's client secrets and passwords: what must not survive.
   */
  private static Set<String> wellKnown() throws IOException {
    JsonNode realm = JSON.readTree(LocalKeycloak.bundledRealm());
    Set<String> values = new HashSet<>(realm.findValuesAsText("secret"));
    realm
        .path("users")
        .forEach(u -> u.path("credentials").forEach(c -> values.add(c.path("value").asText())));
    assertTrue(
        values.containsAll(
            List.of(
                "camflow-services-local-secret",
                "camflow-provisioner-local-secret",
                "admin",
                "viewer",
                "outsider")),
        values.toString());
    return values;
  }

  @Test
  void noWellKnownSecretOrPasswordRemainsAndThePasswordGrantIsOff() throws IOException {
    RealmSecrets secrets = RealmSecrets.read(writeSecrets(tmp.resolve("secrets")));
    byte[] applied = secrets.applyTo(LocalKeycloak.bundledRealm());
    String text = new String(applied, StandardCharsets.UTF_8);
    JsonNode realm = JSON.readTree(applied);

    for (String value : wellKnown()) {
      assertFalse(
          realm.findValuesAsText("secret").contains(value), "a client keeps the secret " + value);
      assertFalse(
          realm.findValuesAsText("value").contains(value), "a user keeps the password " + value);
    }
    assertFalse(text.contains("local-secret"), text);
    for (JsonNode client : realm.path("clients")) {
      assertFalse(
          client.path("directAccessGrantsEnabled").asBoolean(false),
          client.path("clientId").asText() + " allows the password grant");
      if (client.has("secret")) {
        assertEquals(
            secrets.clientSecret(client.path("clientId").asText()), client.path("secret").asText());
      }
    }
    for (JsonNode user : realm.path("users")) {
      for (JsonNode c : user.path("credentials")) {
        assertEquals(
            secrets.userPassword(user.path("username").asText()), c.path("value").asText());
      }
    }
    // the rest is the bundled realm, untouched
    ObjectNode bundled = (ObjectNode) JSON.readTree(LocalKeycloak.bundledRealm());
    assertEquals(bundled.path("roles"), realm.path("roles"));
    assertEquals(bundled.path("groups"), realm.path("groups"));
    assertEquals(
        bundled.path("clients").size() + 1, realm.path("clients").size(), "with admin-cli");
    assertTrue(realm.path("clients").findValuesAsText("clientId").contains(RealmSecrets.ADMIN_CLI));
    assertEquals(bundled.path("users").size(), realm.path("users").size());
    assertEquals("camflow", realm.path("realm").asText());
  }

  @Test
  void valuesNeverShowInToStringOrErrors() throws IOException {
    Path dir = writeSecrets(tmp.resolve("secrets"));
    RealmSecrets secrets = RealmSecrets.read(dir);
    String viewer = secrets.userPassword("viewer");
    assertFalse(secrets.toString().contains(viewer), secrets.toString());
    assertFalse(secrets.toString().contains(secrets.masterAdminPassword()), secrets.toString());

    Path bad = dir.resolve(RealmSecrets.userFile("viewer"));
    Files.writeString(bad, "short value\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RealmSecrets.read(dir));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    assertFalse(e.getMessage().contains("short value"), e.getMessage());
  }

  @Test
  void refusesAMissingFileOthersCanReadOrAWellKnownValue() throws IOException {
    Path dir = writeSecrets(tmp.resolve("secrets"));
    Path services = dir.resolve(RealmSecrets.clientFile("camflow-services"));

    Files.setPosixFilePermissions(services, PosixFilePermissions.fromString("rw-r--r--"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RealmSecrets.read(dir));
    assertTrue(
        e.getMessage().contains("readable by others")
            && e.getMessage().contains(services.toString()),
        e.getMessage());

    Files.setPosixFilePermissions(services, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    e = assertThrows(IllegalArgumentException.class, () -> RealmSecrets.read(dir));
    assertTrue(e.getMessage().contains("chmod go-rwx " + dir), e.getMessage());
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));

    Files.writeString(
        services, "camflow-services-local-secret\n"); // the right shape, but known to everyone
    RealmSecrets known = RealmSecrets.read(dir);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> known.applyTo(LocalKeycloak.bundledRealm()));
    assertTrue(
        e.getMessage().contains("client camflow-services") && e.getMessage().contains("well-known"),
        e.getMessage());

    Files.delete(services);
    e = assertThrows(IllegalArgumentException.class, () -> RealmSecrets.read(dir));
    assertTrue(e.getMessage().contains("missing " + services), e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class, () -> RealmSecrets.read(tmp.resolve("nothing")));
    assertTrue(e.getMessage().contains("no secrets folder"), e.getMessage());
  }

  @Test
  void refusesARealmWithASecretOrPasswordItWouldLeave() throws IOException {
    RealmSecrets secrets = RealmSecrets.read(writeSecrets(tmp.resolve("secrets")));
    ObjectNode realm = (ObjectNode) JSON.readTree(LocalKeycloak.bundledRealm());
    ObjectNode extra = realm.withArray("users").addObject().put("username", "guest");
    extra.withArray("credentials").addObject().put("type", "password").put("value", "guest");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> secrets.applyTo(JSON.writeValueAsBytes(realm)));
    assertTrue(e.getMessage().contains("user guest"), e.getMessage());

    ObjectNode other = (ObjectNode) JSON.readTree(LocalKeycloak.bundledRealm());
    other
        .withArray("clients")
        .addObject()
        .put("clientId", "scripts")
        .put("directAccessGrantsEnabled", true);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> secrets.applyTo(JSON.writeValueAsBytes(other)));
    assertTrue(e.getMessage().contains("client scripts allows the password grant"), e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> secrets.applyTo("[]".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("not a realm export"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> secrets.applyTo("{".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
  }

  @Test
  void placeholdersNameTheEnvironmentVariablesComposeGivesKeycloak() throws IOException {
    JsonNode realm =
        JSON.readTree(RealmSecrets.placeholders().applyTo(LocalKeycloak.bundledRealm()));
    Map<String, String> expected =
        Map.of(
            "camflow-services",
            "${CAMFLOW_KEYCLOAK_CLIENT_SECRET}",
            "camflow-provisioner",
            "${CAMFLOW_KEYCLOAK_PROVISIONER_SECRET}");
    for (JsonNode client : realm.path("clients")) {
      if (client.has("secret")) {
        assertEquals(
            expected.get(client.path("clientId").asText()), client.path("secret").asText());
      }
      assertFalse(client.path("directAccessGrantsEnabled").asBoolean(false), client.toString());
    }
    for (JsonNode user : realm.path("users")) {
      for (JsonNode c : user.path("credentials")) {
        assertEquals(
            "${" + RealmSecrets.passwordVariable(user.path("username").asText()) + "}",
            c.path("value").asText());
      }
    }
    assertEquals("CAMFLOW_VIEWER_PASSWORD", RealmSecrets.passwordVariable("viewer"));
    assertEquals(
        "${KC_BOOTSTRAP_ADMIN_PASSWORD}", RealmSecrets.placeholders().masterAdminPassword());
  }
}
