package io.camflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.camflow.delivery.auth.TrustedProxies;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.RealmSecrets;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * compose.yaml, compose.webrtc.yaml and the Dockerfile, checked without a Docker engine (none runs
 * on the build machines): the Compose Specification's JSON schema
 * (src/test/resources/compose-spec), then what the stack needs to work: official images at the
 * tested versions, the realm import, health checks and health-gated start order, persistent
 * volumes, non-root images, a scalable layout, configuration keys the services really read, and no
 * well-known secret: every one comes from .env, only the proxy (and WebRTC's overlay) publish a
 * port, on the address the user sets. docs/operations.md, "Docker Compose" and "Secrets".
 */
class ComposeFileTest {

  /**
   * The services built from this repository: compose service = Dockerfile target = Maven module.
   */
  private static final Map<String, String> MAINS =
      Map.of(
          "ingest-service", "io.camflow.ingest.IngestMain",
          "packager-service", "io.camflow.packager.PackagerMain",
          "delivery-service", "io.camflow.delivery.DeliveryMain");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern INTERPOLATION =
      Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[-?])?([^}]*)}");

  /** Where every published port listens: the user's address, loopback unless set. */
  private static final String BIND = "${CAMFLOW_BIND_ADDRESS:-127.0.0.1}";

  private static Path repo;
  private static JsonNode compose;
  private static JsonNode webrtc;
  private static DockerfileStages dockerfile;

  @BeforeAll
  static void read() throws IOException {
    repo = Path.of("").toAbsolutePath();
    if (!Files.exists(repo.resolve("compose.yaml"))) {
      repo = repo.getParent(); // tests run in e2e/
    }
    compose = YAML.readTree(repo.resolve("compose.yaml").toFile());
    webrtc = YAML.readTree(repo.resolve("compose.webrtc.yaml").toFile());
    dockerfile = DockerfileStages.read(repo.resolve("Dockerfile"));
  }

  @Test
  void composeFilesFollowTheComposeSpecification() throws IOException {
    Schema schema = composeSchema();
    assertEquals(List.of(), messages(schema.validate(compose)), "compose.yaml");
    assertEquals(List.of(), messages(schema.validate(webrtc)), "compose.webrtc.yaml");

    // the schema is really applied: a misspelt key and a wrong type are refused
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.get("services").get("kafka")).put("helthcheck", "x");
    ((ObjectNode) broken.get("services").get("proxy")).put("ports", 8080);
    List<String> errors = messages(schema.validate(broken));
    assertTrue(errors.stream().anyMatch(e -> e.contains("helthcheck")), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> e.contains("ports")), errors.toString());
  }

  @Test
  void kafkaIsTheOfficialImageInKraftModeAtTheTestedVersion() throws IOException {
    JsonNode kafka = service("kafka");
    assertEquals(
        "apache/kafka:" + pomProperty("pom.xml", "kafka.version"), kafka.path("image").asText());
    Map<String, String> env = environment(compose, "kafka");
    assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
    Uuid.fromString(env.get("CLUSTER_ID")); // the format Kafka's storage tool demands
    // PLAINTEXT without authentication: on the compose network only
    assertEquals(List.of(), ports(compose, "kafka"), "Kafka is not published");
    assertFalse(
        env.get("KAFKA_ADVERTISED_LISTENERS").contains("localhost"),
        env.get("KAFKA_ADVERTISED_LISTENERS"));
    for (String s : MAINS.keySet()) {
      String bootstrap = environment(compose, s).get("CAMFLOW_KAFKA_BOOTSTRAP_SERVERS");
      assertTrue(
          env.get("KAFKA_ADVERTISED_LISTENERS").contains("//" + bootstrap),
          s + " uses an advertised listener");
    }
    // the broker's data lives on a named volume
    assertTrue(
        namedVolumes("kafka").containsValue(env.get("KAFKA_LOG_DIRS")),
        "KAFKA_LOG_DIRS is a volume");
  }

  @Test
  void keycloakIsTheOfficialImageImportingTheRealmOfCamflowUp() throws IOException {
    JsonNode keycloak = service("keycloak");
    assertEquals(
        "quay.io/keycloak/keycloak:" + pomProperty("keycloak/pom.xml", "keycloak.version"),
        keycloak.path("image").asText());
    List<String> command = texts(keycloak.path("command"));
    assertTrue(
        command.contains("--import-realm") && command.contains("--health-enabled=true"),
        command.toString());
    String realmSource = "./docker/camflow-realm.json";
    Map<String, String> binds = bindMounts("keycloak");
    assertTrue(binds.containsKey(realmSource), "mounts the realm file with placeholders: " + binds);
    assertTrue(
        binds.get(realmSource).startsWith("/opt/keycloak/data/import/"), binds.get(realmSource));
    // the realm of ./camflow up, its secrets and passwords Keycloak's placeholders, no password
    // grant
    JsonNode expected =
        new ObjectMapper()
            .readTree(RealmSecrets.placeholders().applyTo(LocalKeycloak.bundledRealm()));
    if (!expected.equals(new ObjectMapper().readTree(repo.resolve(realmSource).toFile()))) {
      Path fresh = repo.resolve("e2e/target/camflow-realm.json");
      Files.createDirectories(fresh.getParent());
      Files.write(fresh, RealmSecrets.placeholders().applyTo(LocalKeycloak.bundledRealm()));
      fail(
          realmSource
              + " is not the bundled realm with placeholders (RealmSecrets.placeholders()): the bundled"
              + " realm changed? Take "
              + fresh
              + " (just written) as "
              + realmSource);
    }
    // Keycloak resolves each placeholder from its environment, which compose requires from .env
    Map<String, String> env = environment(compose, "keycloak");
    Matcher placeholder =
        Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(Files.readString(repo.resolve(realmSource)));
    List<String> variables = new ArrayList<>(List.of("KC_BOOTSTRAP_ADMIN_PASSWORD"));
    while (placeholder.find()) {
      variables.add(placeholder.group(1));
    }
    assertEquals(
        6, variables.size(), variables.toString()); // the master admin, two clients, three users
    for (String variable : variables) {
      assertRequiredFromDotEnv(env, variable, "keycloak");
    }
    assertEquals(
        List.of(),
        ports(compose, "keycloak"),
        "browsers reach the realm through delivery, never Keycloak itself");
    // no pinned host name: URLs and iss follow the address the browser used, which delivery passes
    // on
    assertTrue(command.stream().noneMatch(c -> c.startsWith("--hostname")), command.toString());
    assertTrue(command.contains("--proxy-headers=xforwarded"), command.toString());
    Map<String, String> delivery = environment(compose, "delivery-service");
    assertEquals(
        "http://keycloak:8080/realms/camflow",
        delivery.get("CAMFLOW_AUTH_ISSUER"),
        "the realm as delivery reaches it");
    assertNotEquals(
        "off",
        delivery.getOrDefault("CAMFLOW_REALM_FORWARDING", "on"),
        "browsers log in through delivery");
  }

  @Test
  void everyServiceHasAHealthCheckAndStartsAfterItsDependenciesAreHealthy() throws IOException {
    List<String> names = fieldNames(compose.path("services"));
    for (String name : names) {
      if (MAINS.containsKey(name)) {
        String check =
            dockerfile
                .effective(name, "HEALTHCHECK")
                .orElseThrow(() -> new AssertionError(name + ": no HEALTHCHECK"));
        assertTrue(check.contains("/healthz"), name + ": " + check);
        assertTrue(
            check.contains(":-" + healthPort(name) + "}"),
            name + " checks its default port " + healthPort(name) + ": " + check);
      } else {
        assertFalse(
            service(name).path("healthcheck").path("test").isMissingNode(),
            name + ": no healthcheck");
      }
      for (String dependency : fieldNames(service(name).path("depends_on"))) {
        assertTrue(names.contains(dependency), name + " depends on " + dependency);
        assertEquals(
            "service_healthy",
            service(name).path("depends_on").path(dependency).path("condition").asText(),
            name + " waits for " + dependency + " to be healthy");
      }
    }
    assertTrue(
        fieldNames(service("delivery-service").path("depends_on"))
            .containsAll(List.of("kafka", "keycloak")));
    assertEquals(List.of("delivery-service"), fieldNames(service("proxy").path("depends_on")));
    // curl is in the runtime image (Ubuntu-based Temurin JRE, see the Dockerfile); not in Alpine's
    for (String name : MAINS.keySet()) {
      String base = dockerfile.baseImage(name);
      assertTrue(
          base.startsWith("eclipse-temurin:21-jre-") && !base.contains("alpine"),
          name + ": " + base);
    }
  }

  @Test
  void servicesAreBuiltFromTheirOwnTargetAndRunAsNonRoot() {
    for (Map.Entry<String, String> s : MAINS.entrySet()) {
      String name = s.getKey();
      assertEquals(".", service(name).path("build").path("context").asText(), name);
      assertEquals(
          name,
          service(name).path("build").path("target").asText(),
          name + ": one image per service");
      assertTrue(dockerfile.stage(name).isPresent(), "Dockerfile target " + name);
      String user = dockerfile.effective(name, "USER").orElse("root");
      assertFalse(
          user.equals("root")
              || user.equals("0")
              || user.startsWith("0:")
              || user.startsWith("root:"),
          name + " runs as " + user);
      assertFalse(service(name).has("user"), name + ": compose does not override the image's user");
      String cmd = dockerfile.effective(name, "CMD").orElse("");
      assertTrue(
          cmd.contains("\"" + s.getValue() + "\""), name + " runs " + s.getValue() + ": " + cmd);
      Path main =
          repo.resolve(name)
              .resolve("src/main/java")
              .resolve(s.getValue().replace('.', '/') + ".java");
      assertTrue(Files.isRegularFile(main), main.toString());
    }
  }

  @Test
  void theStackScalesWithDockerComposeScale() throws IOException {
    for (String name : MAINS.keySet()) {
      JsonNode s = service(name);
      assertFalse(s.has("container_name"), name + ": a container_name allows one replica");
      assertFalse(s.has("hostname"), name + ": replicas name themselves after their container");
      assertTrue(
          ports(compose, name).isEmpty(), name + ": a published host port allows one replica");
      assertFalse(
          environment(compose, name).containsKey("CAMFLOW_INSTANCE_ID"),
          name + ": replicas share their environment; a fixed instance id would collide");
      assertFalse(s.path("deploy").has("replicas"), name + ": --scale decides");
    }
    // HTTP reaches every delivery replica through the proxy, found by Docker DNS
    assertEquals("haproxy", service("proxy").path("image").asText().split(":")[0]);
    assertEquals(List.of(BIND + ":8080:8080"), ports(compose, "proxy"));
    String cfg = Files.readString(repo.resolve("docker/haproxy.cfg"));
    assertEquals(
        "/usr/local/etc/haproxy/haproxy.cfg", bindMounts("proxy").get("./docker/haproxy.cfg"));
    assertTrue(
        cfg.contains("server-template")
            && cfg.contains("delivery-service:8080")
            && cfg.contains("resolvers docker"),
        "haproxy.cfg follows the replicas of delivery-service");
  }

  @Test
  void deliveryTakesTheClientAddressFromTheProxyAndOnlyFromIt() throws IOException {
    Map<String, String> env = environment(compose, "delivery-service");
    TrustedProxies trusted = TrustedProxies.parse(env.getOrDefault("CAMFLOW_TRUSTED_PROXIES", ""));
    assertFalse(trusted.isEmpty(), "delivery trusts the proxy's X-Forwarded-For");
    for (String address :
        List.of("172.18.0.5", "192.168.16.3", "10.0.1.7")) { // Docker's address pools
      assertTrue(trusted.trusts(InetAddress.getByName(address)), address);
    }
    for (String address : List.of("8.8.8.8", "203.0.113.7", "2001:db8::1")) {
      assertFalse(
          trusted.trusts(InetAddress.getByName(address)),
          "a public address is no proxy of ours: " + address);
    }
    assertTrue(
        ports(compose, "delivery-service").isEmpty(),
        "only the stack's own containers reach delivery");
    // with each client's own address, delivery's failure budget works behind the proxy
    assertFalse(
        env.containsKey("CAMFLOW_AUTH_FAILURE_LIMIT"),
        "the default budget: " + env.get("CAMFLOW_AUTH_FAILURE_LIMIT"));
    List<String> cfg = haproxyDirectives();
    int forwardfor = cfg.indexOf("option forwardfor");
    assertTrue(forwardfor >= 0, "the proxy names the client");
    assertTrue(
        cfg.contains("http-request del-header X-Forwarded-For")
            && cfg.contains("http-request del-header Forwarded"),
        "what a client wrote into the forwarding headers itself is dropped at the edge");
    // a deny by client address refuses valid tokens too: one bad client would lock out everyone
    // behind its NAT
    assertFalse(
        cfg.stream().anyMatch(l -> l.contains("deny") && l.contains("429")), cfg.toString());
  }

  @Test
  void theProxyLogsPathsWithoutQueryStrings() throws IOException {
    // HLS players and WebSockets carry access tokens in the query (docs/delivery.md, "Access")
    List<String> cfg = haproxyDirectives();
    assertFalse(
        cfg.stream().anyMatch(l -> l.matches("(no\\s+)?option\\s+https?log.*")),
        "option httplog logs the whole request line, query and all: " + cfg);
    List<String> formats =
        cfg.stream()
            .filter(l -> l.startsWith("log-format ") || l.startsWith("error-log-format "))
            .toList();
    assertFalse(formats.isEmpty(), "the proxy logs HTTP requests with a format of its own");
    Pattern withQuery =
        Pattern.compile(
            "%(\\{[^}]*})?(r|HU|HQ)\\b|\\[(url|query|pathq|capture\\.req\\.uri|capture\\.req\\.hdr)");
    for (String format : formats) {
      assertFalse(withQuery.matcher(format).find(), "logs the query: " + format);
      assertTrue(
          format.contains("%HPO") || format.startsWith("error-log-format "),
          "logs the path: " + format);
    }
    assertFalse(
        cfg.stream().anyMatch(l -> l.startsWith("capture request")),
        "captured request headers are logged too");
  }

  @Test
  void webrtcMediaIsPublishedByTheOverlayOnTheDefaultPort() {
    assertEquals(List.of("delivery-service"), fieldNames(webrtc.path("services")));
    int port = WebRtcTransportSettings.DEFAULT_PORT;
    assertEquals(
        List.of(BIND + ":" + port + ":" + port + "/udp"), ports(webrtc, "delivery-service"));
    String hosts = environment(webrtc, "delivery-service").get("CAMFLOW_WEBRTC_HOSTS");
    Matcher m = INTERPOLATION.matcher(hosts);
    assertTrue(
        m.matches() && m.group(2).equals(":?"), "the announced address must be given: " + hosts);
  }

  @Test
  void configurationAndRoutesAreMountedAndDataIsOnVolumes() {
    // every bind-mounted path exists in the repository; routes and config read-only
    for (String name : fieldNames(compose.path("services"))) {
      for (Map.Entry<String, String> b : bindMounts(name).entrySet()) {
        assertTrue(Files.exists(repo.resolve(b.getKey())), name + " mounts " + b.getKey());
      }
    }
    for (String name : MAINS.keySet()) {
      Map<String, String> env = environment(compose, name);
      assertEquals(
          env.get("CAMFLOW_ROUTES"),
          bindMounts(name).get("./routes"),
          name + " reads the mounted routes");
      assertTrue(volumeSpecs(name).contains("./routes:" + env.get("CAMFLOW_ROUTES") + ":ro"), name);
    }
    Map<String, String> ingest = environment(compose, "ingest-service");
    String configDir = bindMounts("ingest-service").get("./config");
    assertEquals(
        configDir + "/camflow.yaml",
        ingest.get("CAMFLOW_CONFIG"),
        "ingest reads the mounted config/camflow.yaml");
    assertTrue(Files.isRegularFile(repo.resolve("config/camflow.yaml")));
    // named volumes are declared at the top level: Kafka's data and Keycloak's database persist
    List<String> declared = fieldNames(compose.path("volumes"));
    assertTrue(declared.containsAll(List.of("kafka-data", "keycloak-data")), declared.toString());
    for (String name : fieldNames(compose.path("services"))) {
      assertTrue(
          declared.containsAll(namedVolumes(name).keySet()), name + " uses an undeclared volume");
    }
    assertEquals("/opt/keycloak/data", namedVolumes("keycloak").get("keycloak-data"));
  }

  @Test
  void sharedKeysComeFromTheEnvironmentOrDotEnv() throws IOException {
    for (String key :
        List.of(
            "CAMFLOW_STREAM_TOKEN_KEY",
            "CAMFLOW_SECRETS_KEY",
            "CAMFLOW_KEYCLOAK_CLIENT_SECRET",
            "CAMFLOW_KEYCLOAK_PROVISIONER_SECRET")) {
      List<String> users =
          MAINS.keySet().stream().filter(s -> environment(compose, s).containsKey(key)).toList();
      assertFalse(users.isEmpty(), key);
      for (String s : users) {
        assertRequiredFromDotEnv(environment(compose, s), key, s);
      }
    }
    assertTrue(
        environment(compose, "ingest-service").containsKey("CAMFLOW_KEYCLOAK_PROVISIONER_SECRET")
            && !environment(compose, "delivery-service")
                .containsKey("CAMFLOW_KEYCLOAK_PROVISIONER_SECRET"),
        "the provisioner's secret (a realm admin's power) goes to ingest only");
    assertTrue(
        environment(compose, "delivery-service").containsKey("CAMFLOW_STREAM_TOKEN_KEY"),
        "replicas share one token key");
    assertTrue(
        environment(compose, "ingest-service").containsKey("CAMFLOW_SECRETS_KEY")
            && environment(compose, "delivery-service").containsKey("CAMFLOW_SECRETS_KEY"),
        "ingest opens what delivery seals");
    // .env holds the keys: never in git, never in the image's build context
    assertTrue(Files.readAllLines(repo.resolve(".gitignore")).contains(".env"));
    assertTrue(Files.readAllLines(repo.resolve(".dockerignore")).contains(".env"));
  }

  @Test
  void everyCamflowKeyInComposeIsReadByTheServiceItIsGivenTo() throws IOException {
    for (String name : MAINS.keySet()) {
      List<Path> mounted = bindMounts(name).keySet().stream().map(repo::resolve).toList();
      ServiceCode code = ServiceCode.of(repo, name, mounted);
      assertFalse(code.reads("CAMFLOW_NO_SUCH_OPTION"), "the scan can fail");
      List<String> keys = new ArrayList<>(environment(compose, name).keySet());
      keys.addAll(environment(webrtc, name).keySet());
      keys.addAll(dockerfile.environmentNames(name));
      List<String> unread =
          keys.stream()
              .filter(k -> k.startsWith("CAMFLOW_"))
              .distinct()
              .filter(k -> !code.reads(k))
              .toList();
      assertEquals(
          List.of(), unread, name + " is given keys no code of " + code.modules() + " reads");
    }
  }

  @Test
  void noSecretHasADefaultAndOnlyTheProxyPublishesOnTheAddressTheUserSets() throws IOException {
    // a default would be a secret everyone knows: every secret-like variable is required
    for (String file : List.of("compose.yaml", "compose.webrtc.yaml")) {
      Matcher m = INTERPOLATION.matcher(Files.readString(repo.resolve(file)));
      while (m.find()) {
        if (m.group(1).matches(".*(SECRET|PASSWORD|KEY).*")) {
          assertEquals(
              ":?",
              m.group(2),
              file + ": ${" + m.group(1) + "} must be required, without a default");
        }
      }
      JsonNode services = (file.equals("compose.yaml") ? compose : webrtc).path("services");
      for (String name : fieldNames(services)) {
        for (String published : ports(file.equals("compose.yaml") ? compose : webrtc, name)) {
          assertTrue(
              published.startsWith(BIND + ":"),
              file
                  + ": "
                  + name
                  + " publishes "
                  + published
                  + " on every interface; bind it to "
                  + BIND);
        }
      }
    }
    List<String> published =
        fieldNames(compose.path("services")).stream()
            .filter(name -> !ports(compose, name).isEmpty())
            .toList();
    assertEquals(
        List.of("proxy"), published, "only the proxy is published (Kafka and Keycloak never)");
  }

  /** {@code ${KEY:?…}} (compose refuses to start without it) and listed in .env.example. */
  private static void assertRequiredFromDotEnv(Map<String, String> env, String key, String service)
      throws IOException {
    String value = env.get(key);
    assertTrue(value != null, service + " is given " + key);
    Matcher m = INTERPOLATION.matcher(value);
    assertTrue(
        m.matches() && m.group(1).equals(key) && ":?".equals(m.group(2)),
        service + ": " + key + " comes from .env or the environment and is required, was " + value);
    assertTrue(
        Files.readString(repo.resolve(".env.example")).contains("\n" + key + "="),
        ".env.example lists " + key);
  }

  // --- reading the files ---

  private static Schema composeSchema() throws IOException {
    try (InputStream in =
        ComposeFileTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
      if (in == null) {
        fail("compose-spec/compose-spec.json is missing from the test resources");
      }
      // the schema's "$id" is relative (compose_spec.json): resolve it against where the file comes
      // from
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
          .getSchema(
              SchemaLocation.of(
                  "https://raw.githubusercontent.com/compose-spec/compose-spec/main/schema/compose-spec.json"),
              new ObjectMapper().readTree(in));
    }
  }

  /**
   * The directives of docker/haproxy.cfg, one a line, trimmed, without comments and blank lines.
   */
  private static List<String> haproxyDirectives() throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(repo.resolve("docker/haproxy.cfg"))) {
      String l = line.trim();
      if (!l.isEmpty() && !l.startsWith("#")) {
        out.add(l);
      }
    }
    return out;
  }

  private static List<String> messages(List<Error> errors) {
    return errors.stream().map(Error::toString).toList();
  }

  private static JsonNode service(String name) {
    JsonNode s = compose.path("services").path(name);
    assertFalse(s.isMissingNode(), "compose.yaml has a service " + name);
    return s;
  }

  private static Map<String, String> environment(JsonNode file, String service) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode e = file.path("services").path(service).path("environment");
    if (e.isArray()) {
      e.forEach(
          item -> {
            String[] kv = item.asText().split("=", 2);
            env.put(kv[0], kv.length > 1 ? kv[1] : "");
          });
    } else {
      e.properties().forEach(p -> env.put(p.getKey(), p.getValue().asText()));
    }
    return env;
  }

  private static List<String> ports(JsonNode file, String service) {
    return texts(file.path("services").path(service).path("ports"));
  }

  private static List<String> volumeSpecs(String service) {
    return texts(service(service).path("volumes"));
  }

  /** Bind mounts (source starts with ./) of a service: source → target. */
  private static Map<String, String> bindMounts(String service) {
    Map<String, String> binds = new LinkedHashMap<>();
    for (String v : volumeSpecs(service)) {
      String[] parts = v.split(":");
      if (parts[0].startsWith("./")) {
        binds.put(parts[0], parts[1]);
      }
    }
    return binds;
  }

  /** Named volumes of a service: volume → target. */
  private static Map<String, String> namedVolumes(String service) {
    Map<String, String> named = new LinkedHashMap<>();
    for (String v : volumeSpecs(service)) {
      String[] parts = v.split(":");
      if (!parts[0].startsWith("./") && !parts[0].startsWith("/") && parts.length > 1) {
        named.put(parts[0], parts[1]);
      }
    }
    return named;
  }

  private static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static String pomProperty(String pom, String property) throws IOException {
    Matcher m =
        Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</")
            .matcher(Files.readString(repo.resolve(pom)));
    assertTrue(m.find(), pom + " sets " + property);
    return m.group(1).trim();
  }

  /** The port each service's /healthz listens on by default, as its main class says. */
  private static int healthPort(String service) throws IOException {
    if (service.equals("delivery-service")) {
      return io.camflow.options.CamflowOptions.HTTP_PORT
          .defaultValue(); // /healthz is on the HTTP port
    }
    String main =
        Files.readString(
            repo.resolve(service)
                .resolve("src/main/java")
                .resolve(MAINS.get(service).replace('.', '/') + ".java"));
    // ServiceProcess.named(…).metricsPort(<port>)
    Matcher m = Pattern.compile("\\.metricsPort\\((\\d+)\\)").matcher(main);
    assertTrue(m.find(), service + ": the default health port in " + MAINS.get(service));
    int port = Integer.parseInt(m.group(1));
    assertNotEquals(0, port);
    return port;
  }
}
