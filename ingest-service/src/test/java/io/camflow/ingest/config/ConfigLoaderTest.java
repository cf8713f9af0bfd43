package io.camflow.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.registry.PullMode;
import io.camflow.registry.Transport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final Map<String, String> ENV = Map.of("FRONTDOOR_PASSWORD", "hunter2");

  @Test
  void aPublishedStreamIsNotPulledButIsAStreamOfItsCamera() {
    CamflowConfig c =
        ConfigLoader.parse(
            """
            defaults: {mode: always}
            cameras:
              studio:
                streams:
                  main: {source: publish}
                  sub: rtsp://cam/sub
                  third: {source: pull, url: rtsp://cam/third}
              obs:
                streams:
                  main:
                    source: PUBLISH
            """,
            "camflow.yaml",
            Map.of());
    assertEquals(
        List.of("studio/sub", "studio/third"),
        c.streams().stream().map(StreamConfig::key).toList());
    CameraConfig studio = c.camera("studio").orElseThrow();
    assertEquals(List.of("main"), studio.published());
    assertTrue(studio.stream("main").isEmpty(), "no pull settings for it");
    assertEquals(
        List.of("studio/sub", "studio/third", "studio/main"),
        studio.streamKeys().stream().map(Object::toString).toList());
    CameraConfig obs = c.camera("obs").orElseThrow();
    assertEquals(List.of(), obs.streams(), "a camera may have published streams only");
    assertEquals(List.of("main"), obs.published());
  }

  @Test
  void readsEveryOption() {
    CamflowConfig c = ConfigFiles.load("valid-full.yaml", ENV);

    assertEquals("kafka-1:9092,kafka-2:9093", c.kafkaBootstrapServers());
    assertEquals(new Limits(16), c.limits());
    RetryPolicy defaultBackoff =
        new RetryPolicy(
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            1.5,
            0.1,
            Duration.ofMinutes(1),
            Duration.ofMinutes(10));
    assertEquals(
        new StreamDefaults(
            Transport.UDP,
            PullMode.ALWAYS,
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            defaultBackoff),
        c.defaults());
    assertEquals(
        List.of("frontdoor", "garage", "demo"),
        c.cameras().stream().map(CameraConfig::id).toList());
    assertEquals(
        List.of("frontdoor/main", "frontdoor/sub", "garage/main", "demo/main"),
        c.streams().stream().map(StreamConfig::key).toList());

    CameraConfig frontdoor = c.camera("frontdoor").orElseThrow();
    assertEquals(Duration.ofDays(7), frontdoor.dvrRetention());
    assertEquals(Duration.ofHours(24), c.camera("garage").orElseThrow().dvrRetention());

    StreamConfig main = c.stream("frontdoor/main").orElseThrow();
    assertEquals(
        new StreamConfig(
            "frontdoor",
            "main",
            URI.create("rtsp://192.168.1.20:554/Streaming/Channels/101"),
            "admin",
            Secret.of("hunter2"),
            Transport.TCP,
            PullMode.ON_DEMAND,
            Duration.ofSeconds(90),
            Duration.ofSeconds(20),
            new RetryPolicy(
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                1.5,
                0.1,
                Duration.ofMinutes(1),
                Duration.ofMinutes(10))),
        main);
    assertEquals("hunter2", main.password().reveal());
    assertEquals("camflow.media.frontdoor.main", main.topic());
    assertEquals(frontdoor.stream("main").orElseThrow(), main);
  }

  @Test
  void streamsInheritDefaults() {
    CamflowConfig c = ConfigFiles.load("valid-full.yaml", ENV);
    StreamConfig sub = c.stream("frontdoor/sub").orElseThrow();
    assertEquals(Transport.UDP, sub.transport());
    assertEquals(PullMode.ALWAYS, sub.mode());
    assertEquals(Duration.ofSeconds(30), sub.idleGrace());
    assertEquals(Duration.ofSeconds(5), sub.readTimeout());
    assertEquals(c.defaults().backoff(), sub.backoff());
  }

  @Test
  void credentialsInTheUrlMoveOut() {
    StreamConfig sub =
        ConfigFiles.load("valid-full.yaml", ENV).stream("frontdoor/sub").orElseThrow();
    assertEquals(URI.create("rtsp://192.168.1.20/Streaming/Channels/102"), sub.url());
    assertNull(sub.url().getUserInfo());
    assertEquals("viewer", sub.username());
    assertEquals("s3cr@t", sub.password().reveal());
  }

  @Test
  void shorthandStreamIsItsUrl() {
    StreamConfig garage =
        ConfigFiles.load("valid-full.yaml", ENV).stream("garage/main").orElseThrow();
    assertEquals(URI.create("rtsps://garage.local:322/live?channel=1"), garage.url());
    assertNull(garage.username());
    assertNull(garage.password());
  }

  @Test
  void syntheticSource() {
    StreamConfig demo = ConfigFiles.load("valid-full.yaml", ENV).stream("demo/main").orElseThrow();
    assertEquals("synthetic", demo.url().getScheme());
    assertEquals("testsrc?size=1280x720&rate=25", demo.url().getSchemeSpecificPart());
  }

  @Test
  void builtInDefaults() {
    CamflowConfig c = ConfigFiles.load("valid-minimal.yaml", Map.of());
    assertEquals("localhost:9092", c.kafkaBootstrapServers());
    assertEquals(64, c.limits().maxCameraConnections());
    assertEquals(StreamDefaults.BUILT_IN, c.defaults());
    StreamConfig s = c.stream("frontdoor/main").orElseThrow();
    assertEquals(Transport.TCP, s.transport());
    assertEquals(PullMode.ON_DEMAND, s.mode());
    assertEquals(Duration.ofSeconds(10), s.idleGrace());
    assertEquals(Duration.ofSeconds(10), s.readTimeout());
    assertEquals(
        new RetryPolicy(
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            2.0,
            0.2,
            Duration.ofSeconds(30),
            Duration.ofMinutes(5)),
        s.backoff());
    assertEquals(Duration.ofHours(24), c.cameras().get(0).dvrRetention());
  }

  @Test
  void lookups() {
    CamflowConfig c = ConfigFiles.load("valid-full.yaml", ENV);
    assertTrue(c.stream("frontdoor/nope").isEmpty());
    assertTrue(c.stream("nope/main").isEmpty());
    assertTrue(c.stream("frontdoor").isEmpty());
    assertTrue(c.camera("nope").isEmpty());
    assertEquals(4, c.streams().size());
  }

  @Test
  void envReferencesInUsernamePasswordUrlAndKafka() {
    String yaml =
        """
        kafka:
          bootstrapServers: ${env:KAFKA_BOOTSTRAP:-localhost:9092}
        cameras:
          frontdoor:
            streams:
              main:
                url: rtsp://${env:CAM_HOST}/stream1
                username: ${env:CAM_USER}
                password: ${env:CAM_PASSWORD}
        """;
    Map<String, String> env =
        Map.of("CAM_HOST", "192.168.1.20", "CAM_USER", "admin", "CAM_PASSWORD", "hunter2");
    CamflowConfig c = ConfigLoader.parse(yaml, "camflow.yaml", env);
    StreamConfig s = c.stream("frontdoor/main").orElseThrow();
    assertEquals(URI.create("rtsp://192.168.1.20/stream1"), s.url());
    assertEquals("admin", s.username());
    assertEquals(Secret.of("hunter2"), s.password());
    assertEquals("localhost:9092", c.kafkaBootstrapServers());
  }

  @Test
  void urlFromTheEnvironmentMayCarryCredentials() {
    String yaml =
        """
        cameras:
          frontdoor:
            streams:
              main:
                url: ${env:FRONTDOOR_URL}
        """;
    StreamConfig s =
        ConfigLoader.parse(
                yaml,
                "camflow.yaml",
                Map.of("FRONTDOOR_URL", "rtsp://admin:hunter2@192.168.1.20/stream1"))
            .streams()
            .get(0);
    assertEquals(URI.create("rtsp://192.168.1.20/stream1"), s.url());
    assertEquals("admin", s.username());
    assertEquals("hunter2", s.password().reveal());
  }

  @Test
  void loadUsesTheProcessEnvironment(@TempDir Path dir) throws Exception {
    String path = io.camflow.options.Environment.variables().get("PATH");
    assertTrue(
        path != null && !path.isEmpty(), "PATH is set in every environment camflow's tests run in");
    Path file = dir.resolve("camflow.yaml");
    Files.writeString(
        file,
        """
        cameras:
          frontdoor:
            streams:
              main: {url: rtsp://cam/stream, username: "${env:PATH}"}
        """);
    assertEquals(path, ConfigLoader.load(file).streams().get(0).username());
  }

  @Test
  void camerasMayBeAbsent() {
    CamflowConfig c =
        ConfigLoader.parse("limits:\n  maxCameraConnections: 8\n", "camflow.yaml", Map.of());
    assertEquals(List.of(), c.cameras());
    assertEquals(8, c.limits().maxCameraConnections());
  }

  @Test
  void valuesAreCaseInsensitiveAndNullMeansDefault() {
    String yaml =
        """
        defaults:
          transport: AUTO
          mode: On-Demand
          idleGrace: ~
        cameras:
          frontdoor:
            streams:
              main: {url: rtsp://cam/stream, mode: ALWAYS, username: ""}
        """;
    CamflowConfig c = ConfigLoader.parse(yaml, "camflow.yaml", Map.of());
    StreamConfig s = c.streams().get(0);
    assertEquals(Transport.AUTO, s.transport());
    assertEquals(PullMode.ALWAYS, s.mode());
    assertEquals(Duration.ofSeconds(10), s.idleGrace());
    assertNull(s.username());
  }

  @Test
  void aCameraMayBoundItsRecordingBySize() {
    String yaml =
        """
        cameras:
          frontdoor:
            dvr: {retention: 7d, maxSize: 50GB}
            streams: {main: rtsp://cam/stream}
          garage:
            dvr:
              maxSize: 2TiB
            streams: {main: rtsp://cam/stream}
          porch:
            dvr: {retention: 2d, maxSize: ~}
            streams: {main: rtsp://cam/stream}
          yard:
            streams: {main: rtsp://cam/stream}
        """;
    CamflowConfig c = ConfigLoader.parse(yaml, "camflow.yaml", Map.of());
    CameraConfig frontdoor = c.camera("frontdoor").orElseThrow();
    assertEquals(Duration.ofDays(7), frontdoor.dvrRetention());
    assertEquals(50_000_000_000L, frontdoor.dvrMaxSize());
    CameraConfig garage = c.camera("garage").orElseThrow();
    assertEquals(2L << 40, garage.dvrMaxSize());
    assertEquals(CameraConfig.DEFAULT_DVR_RETENTION, garage.dvrRetention());
    assertNull(c.camera("porch").orElseThrow().dvrMaxSize(), "empty: unbounded");
    assertNull(c.camera("yard").orElseThrow().dvrMaxSize(), "absent: unbounded");
  }

  @Test
  void recordsRefuseWhatTheLoaderWouldReport() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new StreamConfig(
                "frontdoor",
                "main",
                URI.create("rtsp://admin:hunter2@cam/stream"),
                null,
                null,
                Transport.TCP,
                PullMode.ALWAYS,
                Duration.ZERO,
                Duration.ofSeconds(1),
                RetryPolicy.DEFAULTS));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new StreamConfig(
                "Front Door",
                "main",
                URI.create("rtsp://cam/stream"),
                null,
                null,
                Transport.TCP,
                PullMode.ALWAYS,
                Duration.ZERO,
                Duration.ofSeconds(1),
                RetryPolicy.DEFAULTS));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new StreamConfig(
                "frontdoor",
                "main",
                URI.create("http://cam/stream"),
                null,
                null,
                Transport.TCP,
                PullMode.ALWAYS,
                Duration.ZERO,
                Duration.ofSeconds(1),
                RetryPolicy.DEFAULTS));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new StreamConfig(
                "frontdoor",
                "main",
                URI.create("rtsp://cam/stream"),
                null,
                Secret.of("hunter2"),
                Transport.TCP,
                PullMode.ALWAYS,
                Duration.ZERO,
                Duration.ofSeconds(1),
                RetryPolicy.DEFAULTS));
    assertThrows(
        IllegalArgumentException.class, () -> new CameraConfig("frontdoor", List.of(), null));
    assertThrows(IllegalArgumentException.class, () -> new Limits(0));
    assertThrows(IllegalArgumentException.class, () -> new Limits(10_001));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RetryPolicy(
                Duration.ofMinutes(1),
                Duration.ofSeconds(1),
                2,
                0.2,
                Duration.ofSeconds(30),
                Duration.ofMinutes(5)));
    StreamConfig main =
        new StreamConfig(
            "frontdoor",
            "main",
            URI.create("synthetic:testsrc"),
            null,
            null,
            Transport.TCP,
            PullMode.ALWAYS,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            RetryPolicy.DEFAULTS);
    assertEquals(
        CameraConfig.DEFAULT_DVR_RETENTION,
        new CameraConfig("frontdoor", List.of(main), null).dvrRetention());
    assertThrows(
        IllegalArgumentException.class,
        () -> new CameraConfig("frontdoor", List.of(main), null, 1_000_000L));
    // what the file refuses (idleGrace: 0, jitter: 1), the records refuse too
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new StreamConfig(
                "frontdoor",
                "main",
                URI.create("synthetic:testsrc"),
                null,
                null,
                Transport.TCP,
                PullMode.ALWAYS,
                Duration.ZERO,
                Duration.ofSeconds(1),
                RetryPolicy.DEFAULTS));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RetryPolicy(
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                2,
                1.0,
                Duration.ofSeconds(30),
                Duration.ofMinutes(5)));
  }
}
