package io.camflow.ingest.config;

import static io.camflow.ingest.config.ConfigFiles.DIR;
import static io.camflow.ingest.config.ConfigFiles.assertOnlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One test per kind of mistake: the field, the line and the words the user sees. */
class ConfigLoaderErrorsTest {

  private static final String NAME_RULE =
      "must match [a-z0-9][a-z0-9_-]{0,63}: lowercase letters, digits, "
          + "'_' and '-', starting with a letter or digit, at most 64 characters";
  private static final String SHAPES =
      "rtsp://host[:port]/path, rtsps://host[:port]/path or synthetic:<pattern>";
  private static final String STREAM_KEYS =
      "url, source, username, password, transport, mode, idleGrace, readTimeout, backoff, tlsVerify, tlsCaFile, tlsFingerprint";

  private static ConfigError error(String file, String field, int line, String message) {
    return new ConfigError(DIR + file, field, line, message);
  }

  private static List<ConfigError> errors(String yaml) {
    return assertThrows(
            InvalidConfigException.class, () -> ConfigLoader.parse(yaml, "camflow.yaml", Map.of()))
        .errors();
  }

  @Test
  void missingUrl() {
    assertOnlyError(
        "missing-url.yaml",
        "cameras.frontdoor.streams.main.url",
        4,
        "missing (every stream needs an rtsp:// URL, or source: publish if an encoder pushes it)");
  }

  @Test
  void badScheme() {
    assertOnlyError(
        "bad-scheme.yaml",
        "cameras.frontdoor.streams.main.url",
        5,
        "unsupported scheme 'http'; camflow pulls " + SHAPES);
  }

  @Test
  void malformedUrls() {
    assertEquals(
        List.of(
            error(
                "malformed-url.yaml",
                "cameras.frontdoor.streams.main.url",
                5,
                "invalid port; expected a number from 1 to 65535"),
            error(
                "malformed-url.yaml",
                "cameras.frontdoor.streams.sub.url",
                7,
                "malformed URL: illegal character in path (a space; write %20)"),
            error(
                "malformed-url.yaml",
                "cameras.frontdoor.streams.third.url",
                9,
                "expected rtsp://host[:port]/path")),
        ConfigFiles.errors("malformed-url.yaml"));
  }

  @Test
  void duplicateCameraIds() {
    assertOnlyError(
        "duplicate-camera.yaml",
        "cameras.frontdoor",
        8,
        "duplicate camera id 'frontdoor' (first on line 2); YAML would silently keep only one of them");
  }

  @Test
  void duplicateStreamNames() {
    assertOnlyError(
        "duplicate-stream.yaml",
        "cameras.frontdoor.streams.main",
        8,
        "duplicate stream name 'main' (first on line 4); YAML would silently keep only one of them");
  }

  @Test
  void duplicateOptions() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.streams.main.url",
                6,
                "duplicate key 'url' (first on line 5); YAML would silently keep only one of them")),
        errors(
            """
            cameras:
              frontdoor:
                streams:
                  main:
                    url: rtsp://cam/stream1
                    url: rtsp://cam/stream2
            """));
  }

  @Test
  void badIdCharacters() {
    assertEquals(
        List.of(
            error(
                "bad-ids.yaml",
                "cameras.Front Door",
                2,
                "camera id 'Front Door' " + NAME_RULE + ", e.g. 'front-door'"),
            error(
                "bad-ids.yaml",
                "cameras.garage.streams.Main.HD",
                7,
                "stream name 'Main.HD' " + NAME_RULE + ", e.g. 'main-hd'")),
        ConfigFiles.errors("bad-ids.yaml"));
  }

  @Test
  void tooLongId() {
    String id = "a".repeat(65);
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "cameras." + id,
                2,
                "camera id '" + id + "' " + NAME_RULE + ", e.g. '" + "a".repeat(64) + "'")),
        errors("cameras:\n  " + id + ":\n    streams: {main: rtsp://cam/stream}\n"));
  }

  @Test
  void unknownMode() {
    assertOnlyError(
        "unknown-mode.yaml",
        "cameras.frontdoor.streams.main.mode",
        6,
        "unknown mode 'ondemand' (did you mean 'on-demand'?); expected always or on-demand");
  }

  @Test
  void unknownTransport() {
    assertOnlyError(
        "unknown-transport.yaml",
        "defaults.transport",
        2,
        "unknown transport 'multicast'; expected tcp, udp or auto");
  }

  @Test
  void badDurations() {
    assertEquals(
        List.of(
            error(
                "bad-duration.yaml",
                "cameras.frontdoor.dvr.retention",
                4,
                "invalid duration '2 weeks': must not contain spaces; write e.g. 10s or 1h30m"),
            error(
                "bad-duration.yaml",
                "cameras.frontdoor.streams.main.idleGrace",
                8,
                "invalid duration '10': has no unit; write e.g. 10s (units: ms, s, m, h or d)"),
            error(
                "bad-duration.yaml",
                "cameras.frontdoor.streams.main.readTimeout",
                9,
                "must be between 100ms and 10m, not '0s'")),
        ConfigFiles.errors("bad-duration.yaml"));
  }

  @Test
  void backoffOutOfOrder() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "defaults.backoff.initial",
                4,
                "initial (2m) is longer than max (30s)"),
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.streams.main.backoff.authMax",
                11,
                "authInitial (30s) is longer than authMax (10s)"),
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.streams.main.backoff.jitter",
                12,
                "must be a number from 0 up to (not including) 1, not '1.5'")),
        errors(
            """
            defaults:
              backoff:
                max: 30s
                initial: 2m
            cameras:
              frontdoor:
                streams:
                  main:
                    url: rtsp://cam/stream
                    backoff:
                      authMax: 10s
                      jitter: 1.5
            """));
  }

  @Test
  void badSizeBounds() {
    String units = "B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB or PiB";
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.dvr.maxSize",
                3,
                "invalid data size '50gb': has an unknown unit 'gb' (did you mean 'GB'?); units: "
                    + units),
            new ConfigError(
                "camflow.yaml",
                "cameras.garage.dvr.maxSize",
                6,
                "invalid data size '500': has no unit; write e.g. 500GB (units: " + units + ")"),
            new ConfigError(
                "camflow.yaml",
                "cameras.porch.dvr.maxSize",
                9,
                "must be between 100MB and 1PB, not '10MB'"),
            new ConfigError(
                "camflow.yaml",
                "cameras.yard.dvr.maxsize",
                12,
                "unknown key 'maxsize' (did you mean 'maxSize'?); known keys here: retention, maxSize"),
            new ConfigError(
                "camflow.yaml",
                "cameras.shed.dvr.retentionBytes",
                15,
                "unknown key 'retentionBytes': the size bound is maxSize, e.g. dvr: {retention: 7d,"
                    + " maxSize: 50GB}; known keys here: retention, maxSize"),
            new ConfigError(
                "camflow.yaml",
                "cameras.barn.maxSize",
                18,
                "unknown key 'maxSize': write it under dvr: (dvr: {retention: 7d, maxSize: 50GB});"
                    + " known keys here: dvr, streams")),
        errors(
            """
            cameras:
              frontdoor:
                dvr: {maxSize: 50gb}
                streams: {main: rtsp://cam/stream}
              garage:
                dvr: {maxSize: 500}
                streams: {main: rtsp://cam/stream}
              porch:
                dvr: {maxSize: 10MB}
                streams: {main: rtsp://cam/stream}
              yard:
                dvr: {maxsize: 50GB}
                streams: {main: rtsp://cam/stream}
              shed:
                dvr: {retentionBytes: 50GB}
                streams: {main: rtsp://cam/stream}
              barn:
                maxSize: 50GB
                streams: {main: rtsp://cam/stream}
            """));
  }

  @Test
  void limitsTooSmall() {
    assertOnlyError(
        "bad-limits.yaml",
        "limits.maxCameraConnections",
        2,
        "must be a whole number from 1 to 10000 (per ingest instance; run more instances for more cameras), not '0'");
  }

  @ParameterizedTest
  @CsvSource({"-1", "10001", "1e3", "lots", "2.5", "99999999999999999999"})
  void limitsOutOfRange(String value) {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "limits.maxCameraConnections",
                1,
                "must be a whole number from 1 to 10000 (per ingest instance; run more instances for more cameras), not '"
                    + value
                    + "'")),
        errors("limits: {maxCameraConnections: " + value + "}\n"));
  }

  @Test
  void unknownKeySuggestsTheKnownOnes() {
    assertOnlyError(
        "unknown-key.yaml",
        "cameras.frontdoor.streams.main.usrename",
        6,
        "unknown key 'usrename' (did you mean 'username'?); known keys here: " + STREAM_KEYS);
  }

  @Test
  void keysFromMediaMtxGetAHint() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "paths",
                1,
                "unknown key 'paths': camflow lists cameras, each with its "
                    + "streams: cameras: {frontdoor: {streams: {main: {url: rtsp://...}}}}; known keys here: "
                    + String.join(", ", ConfigReader.TOP_KEYS)),
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.url",
                5,
                "unknown key 'url': a URL belongs to a stream: "
                    + "streams: {main: {url: ...}}; known keys here: dvr, streams"),
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.streams.main.source",
                8,
                "MediaMTX's source is camflow's url: write url: ... instead; expected pull or"
                    + " publish")),
        errors(
            """
            paths:
              cam1: {source: rtsp://cam/stream}
            cameras:
              frontdoor:
                url: rtsp://cam/stream
                streams:
                  main:
                    source: rtsp://cam/stream
                    url: rtsp://cam/stream
            """));
  }

  @Test
  void aPublishedStreamHasNoneOfAPulledStreamsOptions() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "cameras.studio.streams.main.url",
                6,
                "a published stream has no url: remove it or set source: pull"),
            new ConfigError(
                "camflow.yaml",
                "cameras.studio.streams.main.password",
                7,
                "a published stream has no password: remove it or set source: pull"),
            new ConfigError(
                "camflow.yaml",
                "cameras.studio.streams.main.mode",
                8,
                "a published stream has no mode: remove it or set source: pull"),
            new ConfigError(
                "camflow.yaml",
                "cameras.studio.streams.main.tlsVerify",
                10,
                "a published stream has no tlsVerify: remove it or set source: pull")),
        errors(
            """
            cameras:
              studio:
                streams:
                  main:
                    source: publish
                    url: rtsp://cam/stream
                    password: ${env:NOT_SET}
                    mode: always
                    idleGrace:
                    tlsVerify: false
            """));
  }

  @Test
  void anUnknownSourceListsPullAndPublish() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "cameras.studio.streams.main.source",
                5,
                "unknown source 'push'; expected pull or publish"),
            new ConfigError(
                "camflow.yaml",
                "cameras.studio.streams.sub.source",
                6,
                "unknown source 'publisher' (did you mean 'publish'?); expected pull or publish"),
            new ConfigError(
                "camflow.yaml",
                "cameras.studio.streams.third.source",
                7,
                "MediaMTX's source is camflow's url: write url: ... instead; expected pull or"
                    + " publish")),
        errors(
            """
            cameras:
              studio:
                streams:
                  main:
                    source: push
                  sub: {source: publisher}
                  third: {source: "rtsp://admin:hunter2@cam/stream"}
            """));
  }

  @Test
  void sourceInTheWrongPlace() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "defaults.source",
                2,
                "unknown key 'source': has no default; set source: publish on each published"
                    + " stream; known keys here: "
                    + String.join(", ", StreamSettingsReader.SETTINGS_KEYS)),
            new ConfigError(
                "camflow.yaml",
                "cameras.studio.source",
                5,
                "unknown key 'source': a stream's source belongs to the stream: streams: {main:"
                    + " {url: ...}} pulls it, streams: {main: {source: publish}} takes it from an"
                    + " encoder; known keys here: dvr, streams"),
            new ConfigError(
                "camflow.yaml",
                "cameras.studio.streams.source",
                8,
                "'source' is a stream option, indented one level too little: it belongs under a"
                    + " stream name, e.g. streams: {main: {source: publish}}")),
        errors(
            """
            defaults:
              source: publish
            cameras:
              studio:
                source: publish
                streams:
                  main: {source: publish}
                  source: publish
            """));
    // a stream may still be named source
    assertEquals(
        List.of("studio/source"),
        ConfigLoader.parse(
                "cameras: {studio: {streams: {source: rtsp://cam/stream}}}\n",
                "camflow.yaml",
                Map.of())
            .streams()
            .stream()
            .map(StreamConfig::key)
            .toList());
  }

  @Test
  void streamOptionIndentedTooLittle() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.streams.mode",
                6,
                "'mode' is a stream option, indented one level too little: it belongs under a stream name, "
                    + "e.g. streams: {main: {url: ..., mode: ...}}")),
        errors(
            """
            cameras:
              frontdoor:
                streams:
                  main:
                    url: rtsp://cam/stream
                  mode: always
            """));
  }

  @Test
  void cameraWithNoStreams() {
    String message =
        "camera has no streams; add at least one, e.g. streams: {main: {url: rtsp://camera/stream}}";
    assertEquals(
        List.of(
            error("no-streams.yaml", "cameras.frontdoor.streams", 2, message),
            error("no-streams.yaml", "cameras.garage.streams", 6, message),
            error("no-streams.yaml", "cameras.porch.streams", 7, message)),
        ConfigFiles.errors("no-streams.yaml"));
  }

  @Test
  void wrongShapes() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "kafka",
                1,
                "must be a map with bootstrapServers, replicationFactor, not a single value"),
            new ConfigError(
                "camflow.yaml",
                "cameras",
                2,
                "must be a map from camera id to camera, e.g. cameras: "
                    + "{frontdoor: {streams: {main: {url: rtsp://...}}}}, not a list")),
        errors("kafka: localhost:9092\ncameras:\n  - frontdoor\n"));
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "",
                1,
                "must be a map with cameras: (and optionally kafka:, defaults:, limits:), not a list")),
        errors("- cameras\n"));
  }

  /**
   * The stream settings' bounds are one definition (StreamOptions) for the file, the API and the
   * records: what the file check passes, the rtsp: endpoint takes, and what it cannot take, the
   * file refuses. idleGrace: 0 would stop a watched stream between two demand heartbeats (every 2
   * s); jitter: 1 could retry at once.
   */
  @Test
  void idleGraceZeroAndJitterOneAreRefusedByTheFileCheck() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml", "defaults.idleGrace", 2, "must be between 1s and 1d, not '0'"),
            new ConfigError(
                "camflow.yaml",
                "defaults.backoff.jitter",
                3,
                "must be a number from 0 up to (not including) 1, not '1'")),
        errors(
            "defaults:\n  idleGrace: 0\n  backoff: {jitter: 1}\ncameras:\n  a: {streams: {main: rtsp://cam/x}}\n"));
  }

  @Test
  void kafkaBootstrapServers() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "kafka.bootstrapServers",
                1,
                "expected host:port[,host:port...], e.g. localhost:9092; 'kafka' is not host:port, not 'localhost:9092,kafka'")),
        errors("kafka: {bootstrapServers: 'localhost:9092,kafka'}\n"));
  }

  @Test
  void yamlSyntaxErrorWithLineAndColumn() {
    assertOnlyError(
        "syntax-error.yaml",
        "",
        7,
        "YAML syntax error at column 26: mapping values are not allowed here (a value with ': ' in it needs quotes)");
  }

  @Test
  void unclosedQuoteNamesWhereItStarted() {
    assertOnlyError(
        "unclosed-quote.yaml",
        "",
        9,
        "YAML syntax error at column 1: found unexpected end of stream "
            + "(while scanning a quoted scalar that starts at line 7, column 19)");
  }

  @Test
  void tabIndentation() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "",
                2,
                "YAML syntax error at column 1: found a tab; YAML indents with spaces only "
                    + "(while scanning for the next token)")),
        errors("cameras:\n\tfrontdoor: {}\n"));
  }

  @Test
  void badIndentation() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "",
                3,
                "YAML syntax error at column 2: expected <block end>, "
                    + "but found '<block mapping start>'; check the indentation (while parsing a block mapping that starts at "
                    + "line 1, column 1)")),
        errors("cameras:\n  frontdoor: {}\n garage: {}\n"));
  }

  @Test
  void twoDocuments() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "",
                2,
                "YAML syntax error: a second YAML document starts here; the file must hold exactly one")),
        errors("cameras: {}\n---\ncameras: {}\n"));
  }

  @Test
  void emptyFile() {
    assertOnlyError(
        "empty.yaml",
        "",
        0,
        "the file is empty; it needs at least cameras:, "
            + "e.g. cameras: {demo: {streams: {main: {url: rtsp://camera/stream}}}}");
  }

  @Test
  void fileNotFound() {
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () -> ConfigLoader.load(Path.of("config/nope.yaml"), Map.of()));
    assertEquals(1, e.errors().size());
    ConfigError error = e.errors().get(0);
    assertEquals("config/nope.yaml", error.file());
    assertEquals("", error.field());
    assertEquals(0, error.line());
    assertTrue(error.message().startsWith("file not found (working directory: "), error.message());
    assertTrue(e.getMessage().contains("\nconfig/nope.yaml: file not found"), e.getMessage());
  }

  @Test
  void directoryInsteadOfFile(@TempDir Path dir) {
    assertEquals(
        List.of(new ConfigError(dir.toString(), "", 0, "is a directory, not a file")),
        assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(dir, Map.of()))
            .errors());
  }

  @Test
  void notUtf8(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("camflow.yaml");
    java.nio.file.Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});
    assertEquals(
        List.of(new ConfigError(file.toString(), "", 0, "not UTF-8 text; save the file as UTF-8")),
        assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file, Map.of()))
            .errors());
  }

  @Test
  void credentialsTwice() {
    assertOnlyError(
        "credentials-twice.yaml",
        "cameras.frontdoor.streams.main.url",
        5,
        "credentials are given twice, in the URL and as username/password; keep one "
            + "(username/password keeps them out of the URL)");
  }

  @Test
  void passwordWithoutUsername() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.streams.main.password",
                6,
                "a password needs a username; set username too")),
        errors(
            """
            cameras:
              frontdoor:
                streams:
                  main:
                    url: rtsp://cam/stream
                    password: hunter2
            """));
  }

  @Test
  void missingEnvironmentVariableIsNamed() {
    assertEquals(
        List.of(
            error(
                "env-missing.yaml",
                "cameras.frontdoor.streams.main.username",
                6,
                "environment variable FRONTDOOR_USER is not set"),
            error(
                "env-missing.yaml",
                "cameras.frontdoor.streams.main.password",
                7,
                "environment variable FRONTDOOR_PASSWORD is not set")),
        ConfigFiles.errors("env-missing.yaml", Map.of()));
    assertEquals(
        List.of(
            error(
                "env-missing.yaml",
                "cameras.frontdoor.streams.main.username",
                6,
                "environment variable FRONTDOOR_USER is not set")),
        ConfigFiles.errors("env-missing.yaml", Map.of("FRONTDOOR_PASSWORD", "hunter2")));
  }

  @Test
  void unresolvableUrlIsOneError() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.streams.main.url",
                4,
                "environment variable FRONTDOOR_URL is not set"),
            new ConfigError(
                "camflow.yaml",
                "cameras.frontdoor.streams.sub.url",
                5,
                "must be a single value, not a list")),
        errors(
            """
            cameras:
              frontdoor:
                streams:
                  main: ${env:FRONTDOOR_URL}
                  sub: {url: [rtsp://cam/1, rtsp://cam/2]}
            """));
  }

  @Test
  void kafkaTopicCollision() {
    assertEquals(
        List.of(
            new ConfigError(
                "camflow.yaml",
                "cameras.front.streams.door_main",
                6,
                "Kafka cannot hold topic camflow.media.front.door_main next to the topic of front_door/main "
                    + "(it treats '.' and '_' in topic names alike); rename one of the two")),
        errors(
            """
            cameras:
              front_door:
                streams: {main: rtsp://cam/1}
              front:
                streams:
                  door_main: rtsp://cam/2
            """));
  }

  @Test
  void allErrorsAtOnce() {
    List<ConfigError> errors = ConfigFiles.errors("four-errors.yaml");
    assertEquals(
        List.of(
            error(
                "four-errors.yaml",
                "limits.maxCameraConnections",
                2,
                "must be a whole number from 1 to 10000 "
                    + "(per ingest instance; run more instances for more cameras), not '100000'"),
            error(
                "four-errors.yaml",
                "cameras.frontdoor.streams.main.usrename",
                9,
                "unknown key 'usrename' (did you mean 'username'?); known keys here: "
                    + STREAM_KEYS),
            error(
                "four-errors.yaml",
                "cameras.frontdoor.streams.sub.url",
                11,
                "unsupported scheme 'ftp'; camflow pulls " + SHAPES),
            error(
                "four-errors.yaml",
                "cameras.frontdoor.streams.sub.mode",
                12,
                "unknown mode 'sometimes'; expected always or on-demand")),
        errors);
  }

  @Test
  void exceptionMessageListsEveryErrorOnItsOwnLine() {
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> ConfigFiles.load("four-errors.yaml", Map.of()));
    String f = DIR + "four-errors.yaml";
    assertEquals(
        "invalid configuration (4 errors):\n"
            + f
            + ":2: limits.maxCameraConnections: must be a whole number from 1 to 10000 (per ingest instance; "
            + "run more instances for more cameras), not '100000'\n"
            + f
            + ":9: cameras.frontdoor.streams.main.usrename: unknown key 'usrename' (did you mean 'username'?); "
            + "known keys here: "
            + STREAM_KEYS
            + "\n"
            + f
            + ":11: cameras.frontdoor.streams.sub.url: unsupported scheme 'ftp'; camflow pulls "
            + SHAPES
            + "\n"
            + f
            + ":12: cameras.frontdoor.streams.sub.mode: unknown mode 'sometimes'; expected always or on-demand",
        e.getMessage());
  }

  @Test
  void errorFormat() {
    assertEquals(
        "config/camflow.yaml:12: cameras.frontdoor.streams.main.url: missing (every stream needs an "
            + "rtsp:// URL)",
        new ConfigError(
                "config/camflow.yaml",
                "cameras.frontdoor.streams.main.url",
                12,
                "missing (every stream needs an rtsp:// URL)")
            .toString());
    assertEquals(
        "config/camflow.yaml: file not found",
        new ConfigError("config/camflow.yaml", "", 0, "file not found").toString());
    assertEquals(
        "config/camflow.yaml:3: YAML syntax error",
        new ConfigError("config/camflow.yaml", "", 3, "YAML syntax error").toString());
  }
}
