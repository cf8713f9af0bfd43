package io.camflow.options;

import static io.camflow.options.Types.choice;
import static io.camflow.options.Types.duration;
import static io.camflow.options.Types.integer;
import static io.camflow.options.Types.onOff;
import static io.camflow.options.Types.text;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every option of camflow's services, each defined once: its key in {@code config/camflow.yaml},
 * its environment variable, type, default and doc. The services read their settings through {@link
 * Settings}; docs/configuration.md's tables are generated from these definitions ({@link
 * OptionDocs}); {@code ./camflow config} shows each with its effective value and source. The
 * per-stream settings of cameras are {@link StreamOptions}.
 */
public final class CamflowOptions {

  /** Names the configuration file; it cannot be set in the file itself. */
  public static final String CONFIG_FILE_ENV = "CAMFLOW_CONFIG";

  /** The section of options that differ per process, so the environment alone sets them. */
  static final String PROCESS_SECTION = "process";

  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,255}");

  private CamflowOptions() {}

  // --- Kafka (every service) ---
  public static final Option<String> KAFKA_BOOTSTRAP_SERVERS =
      Option.key("kafka.bootstrapServers", Types.hostPorts())
          .env("CAMFLOW_KAFKA_BOOTSTRAP_SERVERS")
          .defaultValue("localhost:9092")
          .doc("Kafka's bootstrap servers")
          .define();
  public static final Option<Integer> KAFKA_REPLICATION_FACTOR =
      Option.key("kafka.replicationFactor", integer(1, 7))
          .env("CAMFLOW_KAFKA_REPLICATION_FACTOR")
          .defaultValue("1")
          .doc("replicas of each topic camflow creates (1 for a single broker, 3 for a cluster)")
          .define();

  // --- where things are (every service) ---
  public static final Option<Path> DATA =
      Option.key("files.data", Types.path())
          .env("CAMFLOW_DATA")
          .defaultValue("data")
          .doc("camflow's own files: generated secrets, the self-signed certificate, logs")
          .define();
  public static final Option<Path> ROUTES =
      Option.key("files.routes", Types.path())
          .env("CAMFLOW_ROUTES")
          .defaultValue("routes")
          .doc("the directory of the services' Camel routes (<service>.camel.yaml)")
          .define();

  // --- this process (environment only: one value per process) ---
  public static final Option<Path> CONFIG_FILE =
      Option.key("process.config", Types.path())
          .env(CONFIG_FILE_ENV)
          .defaultValue("config/camflow.yaml")
          .doc("the configuration file (environment only)")
          .define();
  public static final Option<String> INSTANCE_ID =
      Option.key(
              "process.instanceId",
              Types.name(
                  Pattern.compile("[A-Za-z0-9._-]{1,200}"), "letters, digits, '.', '_' or '-'"))
          .env("CAMFLOW_INSTANCE_ID")
          .unset("<service>-<host>-<pid>")
          .doc(
              "this instance's member id in its consumer group; keep it across restarts (environment only)")
          .define();
  public static final Option<String> LIFELINE =
      Option.key("process.lifeline", choice("stdin", "none"))
          .env("CAMFLOW_LIFELINE")
          .defaultValue("none")
          .doc(
              "stdin: stop when stdin ends, with the launcher that holds it (./camflow up sets it)")
          .define();

  // --- ingest ---
  public static final Option<Integer> MAX_CAMERA_CONNECTIONS =
      Option.key("limits.maxCameraConnections", integer(1, 10_000))
          .env("CAMFLOW_MAX_CAMERA_CONNECTIONS")
          .defaultValue("64")
          .hint("per ingest instance; run more instances for more cameras")
          .doc("camera streams one ingest instance pulls at once; run more instances for more")
          .define();
  public static final Option<Integer> INGEST_PARTITIONS =
      Option.key("ingest.partitions", integer(1, 10_000))
          .env("CAMFLOW_INGEST_PARTITIONS")
          .defaultValue("24")
          .doc(
              "partitions of camflow.ingest.ownership: the most ingest instances that share the cameras")
          .define();
  public static final Option<Duration> INGEST_SESSION_TIMEOUT =
      Option.key("ingest.sessionTimeout", duration(Duration.ofSeconds(3), Duration.ofMinutes(30)))
          .env("CAMFLOW_INGEST_SESSION_TIMEOUT")
          .legacy("CAMFLOW_INGEST_SESSION_TIMEOUT_MS", "ms")
          .defaultValue("6s")
          .doc("how soon the other ingest instances take over the cameras of one that died")
          .define();

  // --- packager (delivery reads the same targets) ---
  public static final Option<Duration> PART_TARGET =
      Option.key(
              "packager.partTarget",
              Types.fineDuration(Duration.ofMillis(200), Duration.ofSeconds(1)))
          .env("CAMFLOW_PART_TARGET")
          .legacy("CAMFLOW_PART_TARGET_US", "us")
          .defaultValue("333340us")
          .doc("LL-HLS part duration (PART-TARGET)")
          .define();
  public static final Option<Duration> SEGMENT_TARGET =
      Option.key("packager.segmentTarget", duration(Duration.ofSeconds(1), Duration.ofSeconds(10)))
          .env("CAMFLOW_SEGMENT_TARGET")
          .legacy("CAMFLOW_SEGMENT_TARGET_MS", "ms")
          .defaultValue("2s")
          .doc("HLS segment duration (segments cut at the first keyframe past it)")
          .define();
  public static final Option<Boolean> THUMBNAILS =
      Option.key("packager.thumbnails", onOff())
          .env("CAMFLOW_THUMBNAILS")
          .defaultValue("on")
          .doc(
              "sample keyframes into the DVR timeline's thumbnails (camflow.thumbs.<camera>.<stream>)")
          .define();
  public static final Option<Duration> THUMBNAIL_INTERVAL =
      Option.key("packager.thumbnailInterval", duration(Duration.ofSeconds(2), Duration.ofHours(1)))
          .env("CAMFLOW_THUMBNAIL_INTERVAL")
          .defaultValue("10s")
          .doc("one thumbnail per stream per this much capture time: its first keyframe")
          .define();

  // --- metrics (ingest and packager; delivery serves /metrics on its HTTP port) ---
  public static final Option<Integer> METRICS_PORT =
      Option.key("metrics.port", Types.portOrOff())
          .env("CAMFLOW_METRICS_PORT")
          .unset("8081 (ingest), 8082 (packager)")
          .doc("the Prometheus port of ingest and packager; off for none")
          .define();
  public static final Option<String> METRICS_HOST =
      Option.key("metrics.host", Types.ipAddress())
          .env("CAMFLOW_METRICS_HOST")
          .defaultValue("127.0.0.1")
          .doc("the address the metrics port listens on")
          .define();

  // --- delivery: HTTP and HTTPS ---
  public static final Option<Integer> HTTP_PORT =
      Option.key("delivery.http.port", Types.port(null))
          .env("CAMFLOW_HTTP_PORT")
          .defaultValue("8080")
          .doc("delivery's HTTP port")
          .define();
  public static final Option<String> HTTP_HOST =
      Option.key("delivery.http.host", Types.ipAddress())
          .env("CAMFLOW_HTTP_HOST")
          .defaultValue("0.0.0.0")
          .doc(
              "the address delivery's HTTP, HTTPS and WebRTC ports listen on (127.0.0.1: this machine only)")
          .define();
  public static final Option<Duration> HTTP_IDLE_TIMEOUT =
      Option.key("delivery.http.idleTimeout", duration(Duration.ofSeconds(1), Duration.ofHours(1)))
          .env("CAMFLOW_HTTP_IDLE_TIMEOUT")
          .legacy("CAMFLOW_HTTP_IDLE_TIMEOUT_MS", "ms")
          .defaultValue("60s")
          .doc("a connection with no request being read or answered is closed after this")
          .define();
  public static final Option<Duration> HTTP_READ_TIMEOUT =
      Option.key("delivery.http.readTimeout", duration(Duration.ofSeconds(1), Duration.ofHours(1)))
          .env("CAMFLOW_HTTP_READ_TIMEOUT")
          .legacy("CAMFLOW_HTTP_READ_TIMEOUT_MS", "ms")
          .defaultValue("10s")
          .doc("a request must arrive whole within this of its first byte")
          .define();
  public static final Option<Duration> HTTP_WRITE_TIMEOUT =
      Option.key("delivery.http.writeTimeout", duration(Duration.ofSeconds(1), Duration.ofHours(1)))
          .env("CAMFLOW_HTTP_WRITE_TIMEOUT")
          .legacy("CAMFLOW_HTTP_WRITE_TIMEOUT_MS", "ms")
          .defaultValue("30s")
          .doc("a client that takes none of the bytes waiting for it this long is disconnected")
          .define();
  public static final Option<String> CORS_ORIGINS =
      Option.key("delivery.http.corsOrigins", text())
          .env("CAMFLOW_CORS_ORIGINS")
          .unset("none")
          .doc("other web origins that may call delivery from a browser (comma-separated, or *)")
          .define();
  public static final Option<Integer> HTTPS_PORT =
      Option.key("delivery.https.port", Types.port("HTTPS off"))
          .env("CAMFLOW_HTTPS_PORT")
          .defaultValue("8443")
          .doc("delivery's HTTPS port")
          .define();
  public static final Option<Path> TLS_CERT =
      Option.key("delivery.https.cert", Types.path())
          .env("CAMFLOW_TLS_CERT")
          .unset("a self-signed one made once in <data>/tls")
          .doc("PEM certificate chain of the HTTPS port, leaf first (with delivery.https.key)")
          .define();
  public static final Option<Path> TLS_KEY =
      Option.key("delivery.https.key", Types.path())
          .env("CAMFLOW_TLS_KEY")
          .unset("(with the self-signed certificate)")
          .doc("its PEM private key (PKCS#8 or PKCS#1)")
          .define();
  public static final Option<String> PUBLIC_URL =
      Option.key("delivery.publicUrl", text())
          .env("CAMFLOW_PUBLIC_URL")
          .unset("what each request's Host says")
          .doc(
              "the origins users open camflow at (comma-separated, e.g. https://nvr.home.arpa:8443)")
          .define();
  public static final Option<Boolean> REALM_FORWARDING =
      Option.key("delivery.realmForwarding", onOff())
          .env("CAMFLOW_REALM_FORWARDING")
          .defaultValue("on")
          .doc(
              "serve the camflow realm's login pages under /realms/camflow (off for an external IdP)")
          .define();
  public static final Option<String> TRUSTED_PROXIES =
      Option.key("delivery.trustedProxies", text())
          .env("CAMFLOW_TRUSTED_PROXIES")
          .unset("none")
          .doc(
              "proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-* headers are believed")
          .define();
  public static final Option<String> HEALTH_ACCESS =
      Option.key("delivery.healthAccess", choice("open", "loopback", "admin"))
          .env("CAMFLOW_HEALTH_ACCESS")
          .defaultValue("loopback")
          .doc("who reads /healthz, /readyz and /metrics without an admin token")
          .define();
  public static final Option<Duration> IDLE_STOP =
      Option.key("delivery.idleStop", duration(Duration.ofSeconds(1), Duration.ofDays(1)))
          .env("CAMFLOW_IDLE_STOP")
          .legacy("CAMFLOW_IDLE_STOP_MS", "ms")
          .defaultValue("30s")
          .doc("a stream nobody watched this long loses its Kafka consumer in delivery")
          .define();

  // --- delivery: viewers ---
  public static final Option<Integer> MAX_VIEWERS =
      Option.key("delivery.viewers.max", integer(1, 1_000_000))
          .env("CAMFLOW_MAX_VIEWERS")
          .defaultValue("1000")
          .doc("viewers of all streams together, every protocol")
          .define();
  public static final Option<Integer> MAX_VIEWERS_PER_STREAM =
      Option.key("delivery.viewers.perStream", integer(1, 1_000_000))
          .env("CAMFLOW_MAX_VIEWERS_PER_STREAM")
          .defaultValue("200")
          .doc("viewers of one stream")
          .define();
  public static final Option<Integer> MAX_VIEWERS_PER_USER =
      Option.key("delivery.viewers.perUser", integer(0, 1_000_000))
          .env("CAMFLOW_MAX_VIEWERS_PER_USER")
          .defaultValue("50")
          .doc("viewers of one user, all streams and protocols (0: no share)")
          .define();
  public static final Option<Integer> MAX_VIEWERS_PER_ADDRESS =
      Option.key("delivery.viewers.perAddress", integer(0, 1_000_000))
          .env("CAMFLOW_MAX_VIEWERS_PER_ADDRESS")
          .defaultValue("100")
          .doc("viewers from one client address (0: no share)")
          .define();
  public static final Option<Integer> MAX_HELD_REQUESTS =
      Option.key("delivery.viewers.heldRequests", integer(1, 10_000_000))
          .env("CAMFLOW_MAX_HELD_REQUESTS")
          .defaultValue("4000")
          .doc("LL-HLS requests held waiting for the stream, all streams")
          .define();
  public static final Option<Integer> MAX_HELD_REQUESTS_PER_ADDRESS =
      Option.key("delivery.viewers.heldRequestsPerAddress", integer(0, 10_000_000))
          .env("CAMFLOW_MAX_HELD_REQUESTS_PER_ADDRESS")
          .defaultValue("400")
          .doc("of those, from one client address (0: no share)")
          .define();
  public static final Option<Duration> SESSION_TOKEN_GRACE =
      Option.key("delivery.sessions.tokenGrace", duration(Duration.ZERO, Duration.ofMinutes(10)))
          .env("CAMFLOW_SESSION_TOKEN_GRACE")
          .legacy("CAMFLOW_SESSION_TOKEN_GRACE_S", "s")
          .defaultValue("30s")
          .doc(
              "how long past its token's expiry an MSE or WebRTC session goes on without a fresh one")
          .define();
  public static final Option<Duration> ACCESS_RECHECK =
      Option.key("delivery.sessions.accessRecheck", duration(Duration.ZERO, Duration.ofDays(1)))
          .env("CAMFLOW_ACCESS_RECHECK")
          .legacy("CAMFLOW_ACCESS_RECHECK_S", "s")
          .defaultValue("60s")
          .doc("how often live sessions' users are looked up in Keycloak again (0: never)")
          .define();

  // --- delivery: who may ask ---
  public static final Option<String> AUTH =
      Option.key("auth.mode", choice("keycloak", "off"))
          .env("CAMFLOW_AUTH")
          .defaultValue("keycloak")
          .doc(
              "keycloak: every request needs a token of the realm; off: none (delivery then binds to loopback)")
          .define();
  public static final Option<URI> AUTH_ISSUER =
      Option.key("auth.issuer", Types.httpUrl())
          .env("CAMFLOW_AUTH_ISSUER")
          .defaultValue("http://localhost:8180/realms/camflow")
          .doc("the realm whose access tokens delivery accepts")
          .define();
  public static final Option<URI> AUTH_JWKS_URI =
      Option.key("auth.jwksUri", Types.httpUrl())
          .env("CAMFLOW_AUTH_JWKS_URI")
          .unset("<issuer>/protocol/openid-connect/certs")
          .doc("where the realm publishes its signing keys")
          .define();
  public static final Option<String> AUTH_AUDIENCE =
      Option.key("auth.audience", Types.name(CLIENT_ID, "a client id"))
          .env("CAMFLOW_AUTH_AUDIENCE")
          .defaultValue("camflow")
          .doc("what a token's aud must contain")
          .define();
  public static final Option<String> AUTH_ROLES_CLIENT =
      Option.key("auth.rolesClient", Types.name(CLIENT_ID, "a client id"))
          .env("CAMFLOW_AUTH_ROLES_CLIENT")
          .defaultValue("camflow")
          .doc("the client whose roles are camflow's permissions")
          .define();
  public static final Option<String> AUTH_WEB_CLIENT =
      Option.key("auth.webClient", Types.name(CLIENT_ID, "a client id"))
          .env("CAMFLOW_AUTH_WEB_CLIENT")
          .defaultValue("camflow-web")
          .doc("the public client the web viewer logs in with")
          .define();
  public static final Option<List<String>> AUTH_CLIENTS =
      Option.key("auth.clients", Types.list(Types.name(CLIENT_ID, "a client id")))
          .env("CAMFLOW_AUTH_CLIENTS")
          .unset("the web client only")
          .doc("the clients whose tokens are accepted (a token's azp)")
          .define();
  public static final Option<Duration> AUTH_CLOCK_SKEW =
      Option.key("auth.clockSkew", duration(Duration.ZERO, Duration.ofMinutes(5)))
          .env("CAMFLOW_AUTH_CLOCK_SKEW")
          .legacy("CAMFLOW_AUTH_CLOCK_SKEW_S", "s")
          .defaultValue("30s")
          .doc("how far a token's exp and nbf may be off")
          .define();
  public static final Option<Duration> AUTH_JWKS_MIN_INTERVAL =
      Option.key("auth.jwksMinInterval", duration(Duration.ZERO, Duration.ofHours(1)))
          .env("CAMFLOW_AUTH_JWKS_MIN_INTERVAL")
          .legacy("CAMFLOW_AUTH_JWKS_MIN_INTERVAL_S", "s")
          .defaultValue("10s")
          .doc("the least time between two fetches of the realm's keys")
          .define();
  public static final Option<Integer> AUTH_FAILURE_LIMIT =
      Option.key("auth.failureLimit", integer(0, 1_000_000))
          .env("CAMFLOW_AUTH_FAILURE_LIMIT")
          .defaultValue("30")
          .doc(
              "requests one address may have refused for their credentials per minute before 429 (0: no limit)")
          .define();
  public static final Option<byte[]> STREAM_TOKEN_KEY =
      Option.key("auth.streamTokenKey", Types.base64Key(32))
          .env("CAMFLOW_STREAM_TOKEN_KEY")
          .secret()
          .unset("random, this process only")
          .doc("the key of the stream tokens in playlists; give every delivery instance the same")
          .define();
  public static final Option<Duration> STREAM_TOKEN_TTL =
      Option.key("auth.streamTokenTtl", duration(Duration.ofSeconds(10), Duration.ofHours(1)))
          .env("CAMFLOW_STREAM_TOKEN_TTL")
          .legacy("CAMFLOW_STREAM_TOKEN_TTL_S", "s")
          .defaultValue("60s")
          .doc("how long a stream token handed out in a playlist stays valid")
          .define();

  // --- delivery: RTSP ---
  public static final Option<Boolean> RTSP =
      Option.key("rtsp.enabled", onOff())
          .env("CAMFLOW_RTSP")
          .defaultValue("on")
          .doc("the RTSP server: every stream at rtsp://host:port/<camera>/<stream> (docs/rtsp.md)")
          .define();
  public static final Option<Integer> RTSP_PORT =
      Option.key("rtsp.port", Types.port("a free one"))
          .env("CAMFLOW_RTSP_PORT")
          .defaultValue("8554")
          .doc("the RTSP server's TCP port")
          .define();
  public static final Option<Boolean> RTSP_TLS =
      Option.key("rtsp.tls", onOff())
          .env("CAMFLOW_RTSPS")
          .defaultValue("on")
          .doc(
              "RTSPS: the RTSP server over TLS too, with the HTTPS certificate (so only while HTTPS"
                  + " is on); RTP inside the TLS connection")
          .define();
  public static final Option<Integer> RTSP_TLS_PORT =
      Option.key("rtsp.tlsPort", Types.port("a free one"))
          .env("CAMFLOW_RTSPS_PORT")
          .defaultValue("8322")
          .doc("the RTSPS port (TCP)")
          .define();
  public static final Option<Boolean> RTSP_UDP =
      Option.key("rtsp.udp", onOff())
          .env("CAMFLOW_RTSP_UDP")
          .defaultValue("on")
          .doc("RTSP readers may take RTP over UDP (else TCP only: a UDP SETUP gets 461)")
          .define();
  public static final Option<Integer> RTSP_RTP_PORT =
      Option.key("rtsp.rtpPort", Types.port("a free pair"))
          .env("CAMFLOW_RTSP_RTP_PORT")
          .defaultValue("8000")
          .doc("the UDP port RTSP's RTP leaves from (even); RTCP uses the next one")
          .define();
  public static final Option<Boolean> RTSP_PUBLISH_REPLACE =
      Option.key("rtsp.publishReplace", onOff())
          .env("CAMFLOW_RTSP_PUBLISH_REPLACE")
          .defaultValue("off")
          .doc(
              "a new publisher of a stream replaces the one sending it (else it is refused with"
                  + " 409 while the first sends)")
          .define();

  // --- delivery: WebRTC ---
  public static final Option<Boolean> WEBRTC =
      Option.key("webrtc.enabled", onOff())
          .env("CAMFLOW_WEBRTC")
          .defaultValue("on")
          .doc("WebRTC (WHEP) playback")
          .define();
  public static final Option<Integer> WEBRTC_PORT =
      Option.key("webrtc.port", Types.port("a free one"))
          .env("CAMFLOW_WEBRTC_PORT")
          .defaultValue("8189")
          .doc("the one UDP port of every WebRTC session")
          .define();
  public static final Option<String> WEBRTC_HOSTS =
      Option.key("webrtc.hosts", text())
          .env("CAMFLOW_WEBRTC_HOSTS")
          .unset("none")
          .doc(
              "more addresses announced as candidates: the NAT's public address, the Docker host's")
          .define();
  public static final Option<Boolean> WEBRTC_LOOPBACK =
      Option.key("webrtc.loopback", onOff())
          .env("CAMFLOW_WEBRTC_LOOPBACK")
          .defaultValue("off")
          .doc("announce 127.0.0.1 and ::1 too")
          .define();
  public static final Option<Boolean> WEBRTC_INTERFACE_HOSTS =
      Option.key("webrtc.interfaceHosts", onOff())
          .env("CAMFLOW_WEBRTC_INTERFACE_HOSTS")
          .defaultValue("on")
          .doc("announce this machine's interface addresses (off needs webrtc.hosts)")
          .define();
  public static final Option<Duration> WEBRTC_CONSENT_TIMEOUT =
      Option.key("webrtc.consentTimeout", duration(Duration.ofMillis(100), Duration.ofMinutes(10)))
          .env("CAMFLOW_WEBRTC_CONSENT_TIMEOUT")
          .legacy("CAMFLOW_WEBRTC_CONSENT_TIMEOUT_MS", "ms")
          .defaultValue("30s")
          .doc("a session whose viewer stopped answering consent checks this long ends")
          .define();
  public static final Option<Duration> WEBRTC_DTLS_TIMEOUT =
      Option.key("webrtc.dtlsTimeout", duration(Duration.ofMillis(100), Duration.ofMinutes(1)))
          .env("CAMFLOW_WEBRTC_DTLS_TIMEOUT")
          .legacy("CAMFLOW_WEBRTC_DTLS_TIMEOUT_MS", "ms")
          .defaultValue("10s")
          .doc("how long a DTLS handshake may take")
          .define();
  public static final Option<Integer> WEBRTC_DTLS_HANDSHAKES =
      Option.key("webrtc.dtlsHandshakes", integer(1, 100_000))
          .env("CAMFLOW_WEBRTC_DTLS_HANDSHAKES")
          .defaultValue("64")
          .doc("DTLS handshakes running at once in all")
          .define();
  public static final Option<Integer> WEBRTC_DTLS_HANDSHAKES_PER_ADDRESS =
      Option.key("webrtc.dtlsHandshakesPerAddress", integer(1, 100_000))
          .env("CAMFLOW_WEBRTC_DTLS_HANDSHAKES_PER_ADDRESS")
          .defaultValue("8")
          .doc("of those, from one address (an IPv6 /64 counts as one)")
          .define();
  public static final Option<String> WEBRTC_PROFILES =
      Option.key("webrtc.profiles", choice("compatible", "any"))
          .env("CAMFLOW_WEBRTC_PROFILES")
          .defaultValue("compatible")
          .doc(
              "compatible: an offered H.264 profile must decode the stream's; any: take what is offered")
          .define();
  public static final Option<Integer> WEBRTC_NACK_BUDGET_PERCENT =
      Option.key("webrtc.nackBudgetPercent", integer(0, 1000))
          .env("CAMFLOW_WEBRTC_NACK_BUDGET_PERCENT")
          .defaultValue("100")
          .doc("how much a viewer's NACKs may have sent again, in percent of the stream")
          .define();
  public static final Option<Integer> WEBRTC_NACK_FLOOR_KBPS =
      Option.key("webrtc.nackFloorKbps", integer(0, 1_000_000))
          .env("CAMFLOW_WEBRTC_NACK_FLOOR_KBPS")
          .defaultValue("256")
          .doc("the retransmission budget of a low-rate stream, at least (kbit/s)")
          .define();
  public static final Option<Double> WEBRTC_TEST_DROP_PERCENT =
      Option.key("webrtc.testDropPercent", Types.decimalBelow(0, 50))
          .env("CAMFLOW_WEBRTC_TEST_DROP_PERCENT")
          .defaultValue("0")
          .doc("outgoing RTP packets dropped on purpose, for loss tests only")
          .define();

  // --- Keycloak's admin API (delivery's permission API, ingest's camera roles) ---
  public static final Option<URI> KEYCLOAK_URL =
      Option.key("keycloak.url", Types.httpUrl())
          .env("CAMFLOW_KEYCLOAK_URL")
          .defaultValue("http://localhost:8180")
          .doc("Keycloak's address for the admin API")
          .define();
  public static final Option<String> KEYCLOAK_REALM =
      Option.key(
              "keycloak.realm",
              Types.name(Pattern.compile("[A-Za-z0-9._-]{1,255}"), "a realm name"))
          .env("CAMFLOW_KEYCLOAK_REALM")
          .defaultValue("camflow")
          .doc("camflow's realm")
          .define();
  public static final Option<String> KEYCLOAK_CLIENT_ID =
      Option.key("keycloak.clientId", Types.name(CLIENT_ID, "a client id"))
          .env("CAMFLOW_KEYCLOAK_CLIENT_ID")
          .defaultValue("camflow-services")
          .doc("the services' client for the admin API")
          .define();
  public static final Option<String> KEYCLOAK_CLIENT_SECRET =
      Option.key("keycloak.clientSecret", text())
          .env("CAMFLOW_KEYCLOAK_CLIENT_SECRET")
          .secret()
          .unset("no admin client: the permission API answers 503")
          .doc("its secret")
          .define();
  public static final Option<String> KEYCLOAK_PROVISIONER_CLIENT_ID =
      Option.key("keycloak.provisionerClientId", Types.name(CLIENT_ID, "a client id"))
          .env("CAMFLOW_KEYCLOAK_PROVISIONER_CLIENT_ID")
          .defaultValue("camflow-provisioner")
          .doc("the client ingest creates new cameras' roles with")
          .define();
  public static final Option<String> KEYCLOAK_PROVISIONER_SECRET =
      Option.key("keycloak.provisionerSecret", text())
          .env("CAMFLOW_KEYCLOAK_PROVISIONER_SECRET")
          .secret()
          .unset("new cameras' roles are only checked")
          .doc("its secret (a realm admin's power: ingest only)")
          .define();

  // --- camera passwords of API cameras ---
  public static final Option<String> SECRETS_KEY =
      Option.key("secrets.key", text())
          .env("CAMFLOW_SECRETS_KEY")
          .secret()
          .unset("the API refuses camera passwords")
          .doc("base64 of 32 bytes that seals the passwords of cameras added through the API")
          .define();

  private static final List<Option<?>> ALL = collect();
  private static final Map<String, Option<?>> BY_KEY = new LinkedHashMap<>();
  private static final Set<String> GROUPS = new LinkedHashSet<>();

  static {
    for (Option<?> o : ALL) {
      if (BY_KEY.put(o.key(), o) != null) {
        throw new IllegalStateException("two options with key " + o.key());
      }
      String k = o.key();
      for (int dot = k.lastIndexOf('.'); dot > 0; dot = k.lastIndexOf('.', dot - 1)) {
        GROUPS.add(k.substring(0, dot));
      }
    }
  }

  /** Every option, in the order of this class. */
  public static List<Option<?>> all() {
    return ALL;
  }

  /** The option at {@code key}, or null. */
  public static Option<?> byKey(String key) {
    return BY_KEY.get(key);
  }

  /** The top-level sections of the file that hold options. */
  public static Set<String> sections() {
    Set<String> out = new LinkedHashSet<>();
    ALL.forEach(o -> out.add(o.section()));
    return out;
  }

  /**
   * Whether {@code key} is a section or subsection ({@code delivery.http}) rather than an option.
   */
  static boolean isGroup(String key) {
    return GROUPS.contains(key);
  }

  /**
   * The names directly under {@code group} ({@code delivery} → {@code http}, {@code idleStop}, …).
   */
  static List<String> childrenOf(String group) {
    Set<String> out = new LinkedHashSet<>();
    for (String k : BY_KEY.keySet()) {
      if (k.startsWith(group + ".")) {
        String rest = k.substring(group.length() + 1);
        out.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
      }
    }
    return List.copyOf(out);
  }

  private static List<Option<?>> collect() {
    List<Option<?>> out = new ArrayList<>();
    for (Field f : CamflowOptions.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Option.class) {
        try {
          out.add((Option<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return List.copyOf(out);
  }
}
