package io.camflow.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The secrets of a {@code camflow} realm that is reachable beyond loopback: the confidential
 * clients' secrets, the realm users' passwords and Keycloak's master admin password, none of them
 * the well-known values of the bundled realm. {@link #applyTo} writes them into a realm export and
 * turns the password grant of {@code camflow-web} off; {@code ./camflow up} generates them once
 * into a folder ({@link #read}), compose passes them as environment variables ({@link
 * #placeholders}). docs/operations.md, "Secrets".
 *
 * <p>{@link #toString} never shows a value: error messages name the file or the entry, never its
 * content.
 */
public final class RealmSecrets {

  /** The confidential clients of the bundled realm: each has a secret. */
  public static final List<String> CLIENTS = List.of("camflow-services", "camflow-provisioner");

  /** The bundled realm's users with a password. */
  public static final List<String> USERS = List.of("admin", "viewer", "outsider");

  /**
   * The public client browsers and scripts log in with; the only one the bundled realm allows the
   * password grant.
   */
  public static final String WEB_CLIENT = "camflow-web";

  /**
   * Keycloak's own public client of every realm: it allows the password grant unless the export
   * says otherwise, so the export gets it without.
   */
  public static final String ADMIN_CLI = "admin-cli";

  /** File of Keycloak's master admin password in a secrets folder. */
  public static final String MASTER_ADMIN_FILE = "keycloak-admin";

  /** Generated values: URL-safe, long enough to be unguessable, short enough for a terminal. */
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._~-]{16,256}");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, String> clientSecrets;
  private final Map<String, String> userPasswords;
  private final String masterAdminPassword;

  private RealmSecrets(
      Map<String, String> clientSecrets,
      Map<String, String> userPasswords,
      String masterAdminPassword) {
    this.clientSecrets = Map.copyOf(clientSecrets);
    this.userPasswords = Map.copyOf(userPasswords);
    this.masterAdminPassword = masterAdminPassword;
  }

  /** File of a client's secret in a secrets folder. */
  public static String clientFile(String clientId) {
    return "client-" + clientId;
  }

  /** File of a realm user's password in a secrets folder. */
  public static String userFile(String username) {
    return "user-" + username;
  }

  /**
   * Reads the folder {@code ./camflow up} writes: one file per secret ({@link #clientFile}, {@link
   * #userFile}, {@link #MASTER_ADMIN_FILE}), the value on its one line, readable by the owner only.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it (never its content)
   */
  public static RealmSecrets read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "no secrets folder " + dir + " (./camflow up makes it on its first start)");
    }
    requireOwnerOnly(dir);
    Map<String, String> clients = new LinkedHashMap<>();
    for (String c : CLIENTS) {
      clients.put(c, readValue(dir.resolve(clientFile(c))));
    }
    Map<String, String> users = new LinkedHashMap<>();
    for (String u : USERS) {
      users.put(u, readValue(dir.resolve(userFile(u))));
    }
    return new RealmSecrets(clients, users, readValue(dir.resolve(MASTER_ADMIN_FILE)));
  }

  /**
   * Keycloak's own placeholders instead of values, resolved from its environment when it imports
   * the realm (compose.yaml): {@code ${CAMFLOW_KEYCLOAK_CLIENT_SECRET}}, {@code
   * ${CAMFLOW_KEYCLOAK_PROVISIONER_SECRET}} and {@code ${CAMFLOW_<USER>_PASSWORD}}. The master
   * admin's is Keycloak's {@code KC_BOOTSTRAP_ADMIN_PASSWORD}.
   */
  public static RealmSecrets placeholders() {
    Map<String, String> clients =
        Map.of(
            "camflow-services", "${CAMFLOW_KEYCLOAK_CLIENT_SECRET}",
            "camflow-provisioner", "${CAMFLOW_KEYCLOAK_PROVISIONER_SECRET}");
    Map<String, String> users = new LinkedHashMap<>();
    for (String u : USERS) {
      users.put(u, "${" + passwordVariable(u) + "}");
    }
    return new RealmSecrets(clients, users, "${KC_BOOTSTRAP_ADMIN_PASSWORD}");
  }

  /**
   * The environment variable of a user's password in {@link #placeholders()}: {@code
   * CAMFLOW_VIEWER_PASSWORD}.
   */
  public static String passwordVariable(String username) {
    return "CAMFLOW_" + username.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD";
  }

  /** Keycloak's master realm admin ({@link LocalKeycloak#BOOTSTRAP_ADMIN}) password. */
  public String masterAdminPassword() {
    return masterAdminPassword;
  }

  public String clientSecret(String clientId) {
    return require(clientSecrets, clientId, "client");
  }

  public String userPassword(String username) {
    return require(userPasswords, username, "user");
  }

  /**
   * The realm export with these secrets and passwords and without the password grant: not for
   * {@link #WEB_CLIENT}, not for Keycloak's {@link #ADMIN_CLI} (added to the export when missing).
   * Every client with a secret and every user with a password must be one this knows, so that no
   * value of the original file survives.
   *
   * @throws IllegalArgumentException when the export is not a realm, or has a client secret or
   *     password this does not replace
   */
  public byte[] applyTo(byte[] realmJson) {
    JsonNode root;
    try {
      root = JSON.readTree(realmJson);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // not Jackson's message: it quotes the input
      throw new IllegalArgumentException(
          "the realm export is not JSON (line " + e.getLocation().getLineNr() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!(root instanceof ObjectNode realm) || !realm.path("realm").isTextual()) {
      throw new IllegalArgumentException(
          "the realm export has no \"realm\" name: not a realm export");
    }
    Set<String> wellKnown = new java.util.HashSet<>(realm.findValuesAsText("secret"));
    realm
        .path("users")
        .forEach(u -> u.path("credentials").forEach(c -> wellKnown.add(c.path("value").asText())));
    Set<String> seenClients = new TreeSet<>();
    boolean web = false;
    boolean adminCli = false;
    for (JsonNode client : realm.withArray("clients")) {
      String id = client.path("clientId").asText();
      if (client.has("secret")) {
        ((ObjectNode) client).put("secret", require(clientSecrets, id, "client"));
        seenClients.add(id);
      }
      if (id.equals(WEB_CLIENT) || id.equals(ADMIN_CLI)) {
        ((ObjectNode) client).put("directAccessGrantsEnabled", false);
        web |= id.equals(WEB_CLIENT);
        adminCli |= id.equals(ADMIN_CLI);
      } else if (client.path("directAccessGrantsEnabled").asBoolean(false)) {
        throw new IllegalArgumentException(
            "client "
                + id
                + " allows the password grant: only "
                + WEB_CLIENT
                + " is expected to, and it loses it here");
      }
    }
    if (!web) {
      throw new IllegalArgumentException("the realm export has no client " + WEB_CLIENT);
    }
    if (!adminCli) {
      // Keycloak creates it with the password grant unless the export has it
      realm
          .withArray("clients")
          .addObject()
          .put("clientId", ADMIN_CLI)
          .put("enabled", true)
          .put("publicClient", true)
          .put("bearerOnly", false)
          .put("standardFlowEnabled", false)
          .put("implicitFlowEnabled", false)
          .put("directAccessGrantsEnabled", false)
          .put("serviceAccountsEnabled", false)
          .put("protocol", "openid-connect");
    }
    Set<String> seenUsers = new TreeSet<>();
    for (JsonNode user : realm.path("users")) {
      String name = user.path("username").asText();
      for (JsonNode credential : user.path("credentials")) {
        if (!credential.path("type").asText().equals("password")) {
          throw new IllegalArgumentException(
              "user "
                  + name
                  + " has a credential of type "
                  + credential.path("type").asText()
                  + ", which this cannot replace");
        }
        ObjectNode c = (ObjectNode) credential;
        c.remove(List.of("hashedSaltedValue", "salt", "secretData", "credentialData"));
        c.put("value", require(userPasswords, name, "user"));
        seenUsers.add(name);
      }
    }
    if (!seenClients.equals(new TreeSet<>(clientSecrets.keySet()))
        || !seenUsers.equals(new TreeSet<>(userPasswords.keySet()))) {
      throw new IllegalArgumentException(
          "the realm export has the secrets of clients "
              + seenClients
              + " and the passwords of users "
              + seenUsers
              + "; expected clients "
              + new TreeSet<>(CLIENTS)
              + " and users "
              + new TreeSet<>(USERS));
    }
    clientSecrets.forEach((id, v) -> refuseWellKnown(wellKnown, v, "client " + id));
    userPasswords.forEach((name, v) -> refuseWellKnown(wellKnown, v, "user " + name));
    refuseWellKnown(wellKnown, masterAdminPassword, "the master admin");
    refuseWellKnown(
        java.util.Set.of(LocalKeycloak.BOOTSTRAP_ADMIN), masterAdminPassword, "the master admin");
    try {
      return JSON.writeValueAsBytes(realm);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "RealmSecrets[clients "
        + clientSecrets.keySet()
        + ", users "
        + userPasswords.keySet()
        + ", master admin; values not shown]";
  }

  // ---- internals
  // ----------------------------------------------------------------------------------

  private static String require(Map<String, String> values, String key, String what) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          "no secret for " + what + " " + key + " (known: " + new TreeSet<>(values.keySet()) + ")");
    }
    return v;
  }

  private static void refuseWellKnown(Set<String> wellKnown, String value, String whose) {
    if (wellKnown.contains(value)) {
      throw new IllegalArgumentException(
          "the secret of "
              + whose
              + " is a well-known one of the bundled realm:"
              + " give it a new one");
    }
  }

  private static String readValue(Path file) {
    String text;
    try {
      requireOwnerOnly(file);
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "missing " + file + ": delete the folder and ./camflow up makes" + " every secret anew");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + file + ": " + e.getClass().getSimpleName());
    }
    String value = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (!VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          file
              + " must hold one line of 16 to 256 characters from A-Z a-z"
              + " 0-9 . _ ~ - (delete it and ./camflow up makes a new one)");
    }
    return value;
  }

  private static void requireOwnerOnly(Path path) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to check
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "missing " + path + ": delete the folder and ./camflow up makes" + " every secret anew");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + path + ": " + e.getClass().getSimpleName());
    }
    for (PosixFilePermission p : perms) {
      if (!p.name().startsWith("OWNER_")) {
        throw new IllegalArgumentException(
            path
                + " is readable by others ("
                + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                + "): chmod go-rwx "
                + path);
      }
    }
  }
}
