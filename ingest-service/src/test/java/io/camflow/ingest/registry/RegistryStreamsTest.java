package io.camflow.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.ingest.config.CamflowConfig;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.ingest.config.StreamConfig;
import io.camflow.ingest.topics.TopicProvisioner;
import io.camflow.media.StreamKey;
import io.camflow.registry.CameraEntry;
import io.camflow.registry.CameraRecordFormat;
import io.camflow.registry.PullMode;
import io.camflow.registry.SecretBox;
import io.camflow.registry.StreamEntry;
import io.camflow.registry.StreamSettings;
import io.camflow.registry.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class RegistryStreamsTest {

  static final SecretBox BOX =
      SecretBox.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
  static final SecretBox OTHER =
      SecretBox.fromBase64(
          Base64.getEncoder()
              .encodeToString(
                  new byte[] {
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                    23, 24, 25, 26, 27, 28, 29, 30, 31, 32
                  }));

  static CamflowConfig config() {
    return ConfigLoader.parse(
        """
        defaults:
          mode: always
          readTimeout: 7s
        cameras:
          front:
            dvr:
              retention: 2d
            streams:
              main:
                url: rtsp://10.0.0.5/live
                username: admin
                password: ${env:FRONT_PW}
                transport: udp
        """,
        "test.yaml",
        Map.of("FRONT_PW", "front-File-Secret"));
  }

  @Test
  void anApiCameraTakesTheFilesDefaultsAndOpensItsPassword() {
    CameraEntry c =
        new CameraEntry(
            "garage",
            CameraEntry.API,
            List.of(
                new StreamEntry(
                    "main",
                    "rtsp://10.0.0.9:554/x",
                    "u",
                    BOX.seal("garage-pw", "garage/main"),
                    StreamSettings.UNSET),
                new StreamEntry(
                    "sub",
                    "rtsp://10.0.0.9/y",
                    null,
                    null,
                    new StreamSettings(
                        Transport.AUTO,
                        PullMode.ON_DEMAND,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2)))),
            "3h");
    List<StreamConfig> s = RegistryStreams.streams(c, config().defaults(), Optional.of(BOX));
    assertEquals("garage-pw", s.get(0).password().reveal());
    assertEquals(PullMode.ALWAYS, s.get(0).mode());
    assertEquals(Duration.ofSeconds(7), s.get(0).readTimeout());
    assertEquals(Transport.AUTO, s.get(1).transport());
    assertEquals(PullMode.ON_DEMAND, s.get(1).mode());
    assertEquals(Duration.ofSeconds(30), s.get(1).idleGrace());
    assertNull(s.get(1).password());
    assertEquals(Duration.ofHours(3), RegistryStreams.dvrRetention(c));
  }

  @Test
  void anApiCamerasTlsSettingsReachIngestAndAFileCamerasShowInItsRecord() {
    String pin = "cd".repeat(32);
    CameraEntry c =
        new CameraEntry(
            "garage",
            CameraEntry.API,
            List.of(
                new StreamEntry(
                    "main", "rtsps://10.0.0.9/x", null, null, StreamSettings.UNSET, false, null),
                new StreamEntry(
                    "sub", "rtsps://10.0.0.9/y", null, null, StreamSettings.UNSET, null, pin),
                new StreamEntry("third", "rtsps://10.0.0.9/z", null, null, StreamSettings.UNSET)),
            null);
    List<StreamConfig> s = RegistryStreams.streams(c, config().defaults(), Optional.of(BOX));
    assertEquals(new io.camflow.ingest.source.tls.CameraTls(false, null, null), s.get(0).tls());
    assertEquals(new io.camflow.ingest.source.tls.CameraTls(true, null, pin), s.get(1).tls());
    assertEquals(io.camflow.ingest.source.tls.CameraTls.VERIFY, s.get(2).tls());

    var file =
        io.camflow.ingest.config.ConfigLoader.parse(
                """
        cameras:
          shed:
            streams:
              main:
                url: rtsps://10.0.0.7/live
                tlsVerify: false
              sub: rtsps://10.0.0.7/sub
        """,
                "test.yaml",
                Map.of())
            .cameras()
            .get(0);
    CameraEntry record = RegistryStreams.fileEntry(file);
    assertEquals(Boolean.FALSE, record.streams().get(0).tlsVerify());
    assertNull(
        record.streams().get(1).tlsVerify(), "verification, the default, is not written out");
  }

  /** An encoder publishes it into delivery: ingest makes its topics and never pulls it. */
  @Test
  void aPublishedStreamHasTopicsAndNoPull() {
    CameraEntry c =
        new CameraEntry(
            "studio",
            CameraEntry.API,
            List.of(
                StreamEntry.published("main"),
                new StreamEntry("sub", "rtsp://10.0.0.9/sub", null, null, StreamSettings.UNSET)),
            "2h",
            "50GB");
    assertEquals(
        List.of("studio/sub"),
        RegistryStreams.streams(c, config().defaults(), Optional.empty()).stream()
            .map(StreamConfig::key)
            .toList());
    List<NewTopic> topics = RegistryStreams.topics(c);
    assertEquals(
        List.of(
            "camflow.media.studio.main",
            "camflow.cmaf.studio.main",
            "camflow.index.studio.main",
            "camflow.thumbs.studio.main",
            "camflow.media.studio.sub",
            "camflow.cmaf.studio.sub",
            "camflow.index.studio.sub",
            "camflow.thumbs.studio.sub"),
        topics.stream().map(NewTopic::name).toList());
    assertEquals(
        TopicProvisioner.streamTopics(
            new StreamKey("studio", "main"), Duration.ofHours(2), 50_000_000_000L),
        topics.subList(0, 4),
        "the camera's retention and size bound, as a pulled stream's");

    var file =
        ConfigLoader.parse(
                """
        cameras:
          studio:
            streams:
              main: {source: publish}
              sub: rtsp://10.0.0.9/sub
        """,
                "test.yaml",
                Map.of())
            .cameras()
            .get(0);
    CameraEntry record = RegistryStreams.fileEntry(file);
    assertEquals(
        List.of(
            new StreamEntry(
                "sub", "rtsp://10.0.0.9/sub", null, null, StreamSettings.DEFAULTS, null, null),
            StreamEntry.published("main")),
        record.streams(),
        "published after the pulled ones, with nothing but its name");
    assertEquals(record, CameraRecordFormat.decode(CameraRecordFormat.encode(record)));
  }

  @Test
  void aSizeBoundGoesBothWays() {
    List<StreamEntry> streams =
        List.of(new StreamEntry("main", "rtsp://10.0.0.9/x", null, null, StreamSettings.UNSET));
    assertEquals(
        50_000_000_000L,
        RegistryStreams.dvrMaxSize(
            new CameraEntry("garage", CameraEntry.API, streams, null, "50GB")));
    assertNull(
        RegistryStreams.dvrMaxSize(new CameraEntry("garage", CameraEntry.API, streams, null)));
    IllegalArgumentException tooSmall =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RegistryStreams.dvrMaxSize(
                    new CameraEntry("garage", CameraEntry.API, streams, null, "1MB")));
    assertEquals("dvrMaxSize must be between 100MB and 1PB", tooSmall.getMessage());

    var file =
        ConfigLoader.parse(
                """
        cameras:
          shed:
            dvr: {retention: 7d, maxSize: 1.5TB}
            streams: {main: rtsp://10.0.0.7/live}
          barn:
            streams: {main: rtsp://10.0.0.8/live}
        """,
                "test.yaml",
                Map.of())
            .cameras();
    CameraEntry shed = RegistryStreams.fileEntry(file.get(0));
    assertEquals("1500GB", shed.dvrMaxSize(), "the file's bound, as the API writes one");
    assertEquals(1_500_000_000_000L, RegistryStreams.dvrMaxSize(shed));
    assertNull(RegistryStreams.fileEntry(file.get(1)).dvrMaxSize());
  }

  @Test
  void aPasswordThatDoesNotOpenIsAClearErrorWithoutTheSecret() {
    String sealed = BOX.seal("garage-pw", "garage/main");
    CameraEntry c =
        new CameraEntry(
            "garage",
            CameraEntry.API,
            List.of(
                new StreamEntry("main", "rtsp://10.0.0.9/x", "u", sealed, StreamSettings.UNSET)),
            null);
    IllegalArgumentException wrongKey =
        assertThrows(
            IllegalArgumentException.class,
            () -> RegistryStreams.streams(c, config().defaults(), Optional.of(OTHER)));
    assertTrue(
        wrongKey.getMessage().contains("garage/main")
            && wrongKey.getMessage().contains("CAMFLOW_SECRETS_KEY"),
        wrongKey.getMessage());
    assertFalse(wrongKey.getMessage().contains(sealed.substring(3)));
    IllegalArgumentException noKey =
        assertThrows(
            IllegalArgumentException.class,
            () -> RegistryStreams.streams(c, config().defaults(), Optional.empty()));
    assertTrue(noKey.getMessage().contains("CAMFLOW_SECRETS_KEY is not set"), noKey.getMessage());
  }

  @Test
  void aFileCameraIsPublishedResolvedAndWithoutItsPassword() {
    CameraEntry e = RegistryStreams.fileEntry(config().camera("front").orElseThrow());
    assertEquals(CameraEntry.FILE, e.source());
    assertEquals("2d", e.dvrRetention());
    StreamEntry s = e.streams().get(0);
    assertEquals("rtsp://10.0.0.5/live", s.url());
    assertEquals("admin", s.username());
    assertNull(s.sealedPassword());
    assertEquals(Transport.UDP, s.settings().transport());
    assertEquals(PullMode.ALWAYS, s.settings().mode());
    assertEquals(Duration.ofSeconds(7), s.settings().readTimeout());
    assertTrue(s.settings().complete(), "every setting resolved");
    String record = new String(CameraRecordFormat.encode(e), StandardCharsets.UTF_8);
    assertTrue(
        record.contains(
            "\"transport\":\"udp\",\"mode\":\"always\",\"idleGrace\":\"10s\","
                + "\"readTimeout\":\"7s\""),
        record);
    assertFalse(record.contains("front-File-Secret"), record);
  }
}
