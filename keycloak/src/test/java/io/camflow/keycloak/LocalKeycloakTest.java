package io.camflow.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.localprocess.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LocalKeycloakTest {

  @Test
  void serverArgumentsAreOneFixedOptionSetWithThePorts() {
    // loopback only, URLs from the request as delivery forwards it (no --hostname)
    assertEquals(
        List.of(
            "start-dev",
            "--import-realm",
            "--db=dev-mem",
            "--health-enabled=true",
            "--http-host=127.0.0.1",
            "--http-port=8180",
            "--http-management-port=8190",
            "--proxy-headers=xforwarded"),
        LocalKeycloak.serverArguments(8180, 8190));
    // build-time options must not depend on the ports (a difference would re-augment the
    // distribution)
    List<String> a =
        LocalKeycloak.serverArguments(1000, 1001).stream()
            .filter(s -> !s.matches(".*\\d{4}.*"))
            .toList();
    List<String> b =
        LocalKeycloak.serverArguments(2000, 2001).stream()
            .filter(s -> !s.matches(".*\\d{4}.*"))
            .toList();
    assertEquals(a, b);
  }

  @Test
  void argsDefaults() {
    LocalKeycloak.Args args = LocalKeycloak.Args.parse();
    assertEquals(8180, args.port());
    assertEquals(8190, args.managementPort());
    assertNull(args.realm());
    assertFalse(args.help());
    assertTrue(args.logFile().toString().endsWith("camflow-keycloak-8180.log"));
  }

  @Test
  void argsAllOptions() {
    LocalKeycloak.Args args =
        LocalKeycloak.Args.parse(
            "--port",
            "9000",
            "--management-port",
            "9100",
            "--log",
            "/tmp/kc.log",
            "--realm",
            "/tmp/r.json");
    assertEquals(9000, args.port());
    assertEquals(9100, args.managementPort());
    assertEquals(Path.of("/tmp/kc.log"), args.logFile());
    assertEquals(Path.of("/tmp/r.json"), args.realm());
    assertEquals(9010, LocalKeycloak.Args.parse("--port", "9000").managementPort());
    assertTrue(LocalKeycloak.Args.parse("--help").help());
  }

  @Test
  void argsSecretsFolderInsteadOfARealmFile() {
    LocalKeycloak.Args args = LocalKeycloak.Args.parse("--secrets", "/tmp/secrets");
    assertEquals(Path.of("/tmp/secrets"), args.secrets());
    assertNull(LocalKeycloak.Args.parse().secrets());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LocalKeycloak.Args.parse("--secrets", "/tmp/s", "--realm", "/tmp/r.json"));
    assertTrue(e.getMessage().contains("--realm and --secrets"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LocalKeycloak.Args.parse("--secrets"));
  }

  @Test
  void environmentCarriesTheGivenMasterAdminPassword() {
    Map<String, String> env = new HashMap<>();
    LocalKeycloak.environment(env, "generated-0123456789", "");
    assertEquals("admin", env.get("KC_BOOTSTRAP_ADMIN_USERNAME"));
    assertEquals("generated-0123456789", env.get("KC_BOOTSTRAP_ADMIN_PASSWORD"));
  }

  @Test
  void argsRejectNonsense() {
    assertThrows(IllegalArgumentException.class, () -> LocalKeycloak.Args.parse("--port"));
    assertThrows(IllegalArgumentException.class, () -> LocalKeycloak.Args.parse("--port", "x"));
    assertThrows(IllegalArgumentException.class, () -> LocalKeycloak.Args.parse("--port", "70000"));
    assertThrows(
        IllegalArgumentException.class,
        () -> LocalKeycloak.Args.parse("--port", "9000", "--management-port", "9000"));
    assertThrows(
        IllegalArgumentException.class, () -> LocalKeycloak.Args.parse("--db", "postgres"));
  }

  @Test
  void environmentUsesThisJvmAndDropsBuildOptionOverrides() {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "JAVA_HOME",
                "/elsewhere",
                "JAVA",
                "/usr/bin/java",
                "JAVA_OPTS",
                "-Xmx1m",
                "KC_DB",
                "postgres",
                "KC_FEATURES",
                "x",
                "PATH",
                "/bin"));
    LocalKeycloak.environment(env, "-XX:TieredStopAtLevel=1");
    assertEquals(System.getProperty("java.home"), env.get("JAVA_HOME"));
    assertEquals("-XX:TieredStopAtLevel=1", env.get("JAVA_OPTS_APPEND"));
    assertEquals("admin", env.get("KC_BOOTSTRAP_ADMIN_USERNAME"));
    assertEquals("admin", env.get("KC_BOOTSTRAP_ADMIN_PASSWORD"));
    assertEquals("/bin", env.get("PATH"));
    for (String gone : List.of("JAVA", "JAVA_OPTS", "KC_DB", "KC_FEATURES")) {
      assertFalse(env.containsKey(gone), gone);
    }
    LocalKeycloak.environment(env, "");
    assertFalse(env.containsKey("JAVA_OPTS_APPEND"));
  }

  @Test
  void homeIsRecordedAtBuildTimeAndUnpacked() {
    Path home = LocalKeycloak.distributionHome();
    assertTrue(Files.isRegularFile(home.resolve("bin/kc.sh")), "no distribution at " + home);
    assertFalse(
        home.toString().contains("/target/"),
        "the distribution must live outside target/: " + home);
  }

  @Test
  void freePortsDiffer() {
    int[] p = FreePorts.find(2);
    assertNotEquals(p[0], p[1]);
  }

  /** The realm file's permission model, checked statically (the IT checks the tokens). */
  @Test
  void bundledRealmPermissionModel() throws Exception {
    JsonNode realm = new ObjectMapper().readTree(LocalKeycloak.bundledRealm());
    assertEquals("camflow", realm.path("realm").asText());
    Set<String> roles = new TreeSet<>();
    realm
        .path("roles")
        .path("client")
        .path("camflow")
        .forEach(r -> roles.add(r.path("name").asText()));
    for (String role : roles) {
      assertTrue(
          role.equals("camflow:admin") || role.matches("camera:[a-z0-9-]+:(live|dvr|publish)"),
          role);
    }
    assertTrue(
        roles.containsAll(
            Set.of("camera:demo:live", "camera:demo:dvr", "camera:demo:publish", "camflow:admin")),
        roles.toString());
    // every camera role has its group camera-<id>-<action> carrying exactly that role
    Map<String, JsonNode> groups = new HashMap<>();
    realm.path("groups").forEach(g -> groups.put(g.path("name").asText(), g));
    for (String role : roles) {
      if (role.startsWith("camera:")) {
        String[] parts = role.split(":");
        JsonNode g = groups.get("camera-" + parts[1] + "-" + parts[2]);
        assertTrue(g != null, "no group for " + role);
        assertEquals(List.of(role), List.of(g.path("clientRoles").path("camflow").get(0).asText()));
        assertEquals(1, g.path("clientRoles").path("camflow").size());
      }
    }
    // every camera is provisioned for every action, and camflow-services may grant each of them
    Map<String, String> roleIds = new HashMap<>();
    realm
        .path("roles")
        .path("client")
        .path("camflow")
        .forEach(r -> roleIds.put(r.path("name").asText(), r.path("id").asText()));
    Map<String, JsonNode> permissions = new HashMap<>();
    for (JsonNode c : realm.path("clients")) {
      c.path("authorizationSettings")
          .path("policies")
          .forEach(p -> permissions.put(p.path("name").asText(), p));
    }
    for (String camera : List.of("demo", "garage")) {
      for (String action : List.of("live", "dvr", "publish")) {
        String role = "camera:" + camera + ":" + action;
        assertTrue(roles.contains(role), role);
        assertTrue(
            resources(permissions.get("camflow camera " + camera + ": roles"))
                .contains(roleIds.get(role)),
            "camflow-services may map " + role);
        String group = "camera-" + camera + "-" + action;
        assertTrue(
            resources(permissions.get("camflow camera " + camera + ": groups"))
                .contains(groups.get(group).path("id").asText()),
            "camflow-services may manage the members of " + group);
      }
    }
    JsonNode web = null;
    for (JsonNode c : realm.path("clients")) {
      if (c.path("clientId").asText().equals("camflow-web")) {
        web = c;
      }
    }
    assertTrue(web != null);
    assertTrue(web.path("publicClient").asBoolean());
    assertEquals("S256", web.path("attributes").path("pkce.code.challenge.method").asText());
  }

  /** The ids an admin permission of the realm file covers (a JSON array in a string). */
  private static List<String> resources(JsonNode permission) throws Exception {
    assertTrue(permission != null, "no such permission");
    List<String> ids = new ArrayList<>();
    new ObjectMapper()
        .readTree(permission.path("config").path("resources").asText())
        .forEach(id -> ids.add(id.asText()));
    return ids;
  }
}
