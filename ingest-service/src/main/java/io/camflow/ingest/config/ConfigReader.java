package io.camflow.ingest.config;

import io.camflow.ingest.config.YamlMap.Entry;
import io.camflow.ingest.source.tls.CameraTls;
import io.camflow.media.StreamKey;
import io.camflow.options.CamflowOptions;
import io.camflow.options.EnvReferences;
import io.camflow.registry.StreamRules;
import io.camflow.registry.StreamSource;
import io.camflow.registry.StreamUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads a composed {@code camflow.yaml} into a {@link CamflowConfig}, reporting every problem to
 * {@link ConfigErrors} and going on, so one run shows them all. Returns null when anything was
 * wrong.
 */
final class ConfigReader {

  /**
   * The camera sections, and the option sections the option registry reads ({@link FileValues}).
   */
  static final List<String> TOP_KEYS =
      Stream.concat(Stream.of("defaults", "cameras"), CamflowOptions.sections().stream()).toList();

  static final List<String> CAMERA_KEYS = List.of("dvr", "streams");
  static final List<String> DVR_KEYS = List.of("retention", "maxSize");
  static final List<String> STREAM_KEYS =
      List.of(
          "url",
          "source",
          "username",
          "password",
          "transport",
          "mode",
          "idleGrace",
          "readTimeout",
          "backoff",
          "tlsVerify",
          "tlsCaFile",
          "tlsFingerprint");
  static final List<String> TLS_KEYS = List.of("tlsVerify", "tlsCaFile", "tlsFingerprint");

  static final String MISSING_URL =
      "missing (every stream needs an rtsp:// URL, or source: publish if an encoder pushes it)";
  private static final String NAME_RULE =
      "must match [a-z0-9][a-z0-9_-]{0,63}: lowercase letters, digits, "
          + "'_' and '-', starting with a letter or digit, at most 64 characters";
  private static final String NO_STREAMS =
      "camera has no streams; add at least one, e.g. streams: {main: {url: rtsp://camera/stream}}";
  private static final String MERGE_KEY =
      "YAML merge keys are not supported; put shared stream settings " + "under defaults:";

  private static final Map<String, String> TOP_HINTS =
      Map.of(
          "paths",
              "camflow lists cameras, each with its streams: cameras: {frontdoor: {streams: {main: "
                  + "{url: rtsp://...}}}}",
          "streams",
              "streams belong to a camera: cameras: {frontdoor: {streams: {main: {url: rtsp://...}}}}",
          "bootstrapServers", "write it under kafka:",
          "maxCameraConnections", "write it under limits:",
          "transport", "stream defaults belong under defaults:",
          "mode", "stream defaults belong under defaults:",
          "<<", MERGE_KEY);
  private static final Map<String, String> CAMERA_HINTS =
      Map.of(
          "url", "a URL belongs to a stream: streams: {main: {url: ...}}",
          "source",
              "a stream's source belongs to the stream: streams: {main: {url: ...}} pulls it,"
                  + " streams: {main: {source: publish}} takes it from an encoder",
          "username",
              "credentials belong to a stream: streams: {main: {url: ..., username: ..., password: ...}}",
          "password",
              "credentials belong to a stream: streams: {main: {url: ..., username: ..., password: ...}}",
          "retention", "write it under dvr: (dvr: {retention: 24h})",
          "maxSize", "write it under dvr: (dvr: {retention: 7d, maxSize: 50GB})",
          "mode", "mode is a stream option: streams: {main: {url: ..., mode: always}}",
          "transport", "transport is a stream option: streams: {main: {url: ..., transport: tcp}}",
          "<<", MERGE_KEY);
  private static final Map<String, String> STREAM_HINTS =
      Map.of(
          "rtspTransport", "MediaMTX's rtspTransport is camflow's transport (tcp, udp or auto)",
          "sourceOnDemand", "write mode: on-demand (or mode: always)",
          "sourceOnDemandCloseAfter", "MediaMTX's sourceOnDemandCloseAfter is camflow's idleGrace",
          "dvr", "dvr is a camera option: cameras.<camera>.dvr",
          "<<", MERGE_KEY);
  private static final String MAX_SIZE_HINT =
      "the size bound is maxSize, e.g. dvr: {retention: 7d, maxSize: 50GB}";
  private static final Map<String, String> DVR_HINTS =
      Map.of(
          "size", MAX_SIZE_HINT,
          "maxBytes", MAX_SIZE_HINT,
          "retentionBytes", MAX_SIZE_HINT,
          "retention.bytes", MAX_SIZE_HINT,
          "<<", MERGE_KEY);

  /** Any size {@link #dvrMaxSize} may report as malformed; the bounds are checked apart. */
  private static final io.camflow.options.OptionType<Long> ANY_SIZE =
      io.camflow.options.Types.dataSize(0, Long.MAX_VALUE);

  private static final Map<String, String> DEFAULTS_HINTS =
      Map.of(
          "url", "has no default; set it on each stream",
          "username", "has no default; set it on each stream",
          "password", "has no default; set it on each stream",
          "dvr", "dvr is a camera option: cameras.<camera>.dvr",
          "maxCameraConnections", "write it under limits:",
          "tlsVerify", "has no default: turning verification off is a choice per stream",
          "tlsFingerprint", "has no default; set it on each stream",
          "source", "has no default; set source: publish on each published stream",
          "<<", MERGE_KEY);

  private final ConfigErrors errors;
  private final EnvReferences env;
  private final StreamSettingsReader settings;

  /**
   * Kafka refuses topics whose names differ only in '.' versus '_'; first stream key per such name.
   */
  private final Map<String, String> topicsByMetricName = new HashMap<>();

  ConfigReader(ConfigErrors errors, EnvReferences env) {
    this.errors = errors;
    this.env = env;
    this.settings = new StreamSettingsReader(errors);
  }

  /**
   * @param bootstrapServers and {@code limits}: the option registry's values (the file's option
   *     sections are its to read)
   */
  CamflowConfig read(Node root, String bootstrapServers, Limits limits) {
    Optional<YamlMap> read =
        YamlMap.read(
            root,
            "",
            ConfigErrors.line(root),
            errors,
            "a map with cameras: (and optionally kafka:, defaults:, limits:)",
            "key");
    if (read.isEmpty()) {
      return null;
    }
    YamlMap top = read.get();
    top.rejectUnknown(TOP_KEYS, TOP_HINTS, errors);
    StreamDefaults defaults = defaults(top.get("defaults"));
    List<CameraConfig> cameras = cameras(top.get("cameras"), defaults);
    return errors.isEmpty() ? new CamflowConfig(cameras, limits, defaults, bootstrapServers) : null;
  }

  private StreamDefaults defaults(Optional<Entry> defaults) {
    YamlMap m =
        section(
            defaults,
            "a map of stream settings (transport, mode, idleGrace, readTimeout, backoff)",
            StreamSettingsReader.SETTINGS_KEYS,
            DEFAULTS_HINTS);
    return settings.read(m, StreamDefaults.BUILT_IN);
  }

  /** An optional top-level section; empty when absent or wrong (after reporting). */
  private YamlMap section(
      Optional<Entry> entry, String expected, List<String> known, Map<String, String> hints) {
    if (entry.isEmpty()) {
      return YamlMap.empty();
    }
    Entry e = entry.get();
    YamlMap m =
        YamlMap.read(e.value(), e.path(), e.line(), errors, expected, "key")
            .orElseGet(YamlMap::empty);
    m.rejectUnknown(known, hints, errors);
    return m;
  }

  private List<CameraConfig> cameras(Optional<Entry> entry, StreamDefaults defaults) {
    if (entry.isEmpty()) {
      return List.of();
    }
    Entry e = entry.get();
    Optional<YamlMap> cameras =
        YamlMap.read(
            e.value(),
            e.path(),
            e.line(),
            errors,
            "a map from camera id to camera, e.g. cameras: {frontdoor: {streams: {main: {url: rtsp://...}}}}",
            "camera id");
    List<CameraConfig> out = new ArrayList<>();
    for (Entry camera : cameras.map(YamlMap::entries).orElse(List.of())) {
      CameraConfig c = camera(camera, defaults);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private CameraConfig camera(Entry e, StreamDefaults defaults) {
    int before = errors.count();
    if (CAMERA_KEYS.contains(e.key())) {
      errors.add(
          e.path(),
          e.line(),
          "'"
              + e.key()
              + "' is a camera option, indented one level too little: "
              + "it belongs under a camera id, e.g. cameras: {frontdoor: {"
              + e.key()
              + ": ...}}");
      return null;
    }
    boolean validId = validName(e, "camera id");
    if (YamlMap.isNull(e.value())) {
      errors.add(e.path() + ".streams", e.line(), NO_STREAMS);
      return null;
    }
    Optional<YamlMap> read =
        YamlMap.read(
            e.value(),
            e.path(),
            e.line(),
            errors,
            "a map with streams: (and optionally dvr:), e.g. frontdoor: {streams: {main: {url: rtsp://...}}}",
            "key");
    if (read.isEmpty()) {
      return null;
    }
    YamlMap m = read.get();
    m.rejectUnknown(CAMERA_KEYS, ConfigReader::cameraHint, errors);
    Dvr dvr = dvr(m.get("dvr"));
    Entry streamsEntry = m.get("streams").orElse(null);
    Optional<YamlMap> streams =
        streamsEntry == null
            ? Optional.empty()
            : YamlMap.read(
                streamsEntry.value(),
                streamsEntry.path(),
                streamsEntry.line(),
                errors,
                "a map from stream name to stream, e.g. streams: {main: {url: rtsp://...}}",
                "stream name");
    if (streamsEntry == null || streams.map(YamlMap::isEmpty).orElse(false)) {
      errors.add(
          e.path() + ".streams", streamsEntry == null ? e.line() : streamsEntry.line(), NO_STREAMS);
    }
    List<StreamConfig> out = new ArrayList<>();
    List<String> published = new ArrayList<>();
    for (Entry stream : streams.map(YamlMap::entries).orElse(List.of())) {
      StreamConfig s = stream(e.key(), validId, stream, defaults, published);
      if (s != null) {
        out.add(s);
      }
    }
    return errors.count() == before
        ? new CameraConfig(e.key(), out, published, dvr.retention(), dvr.maxSize())
        : null;
  }

  /** A camera key that is (nearly) a stream option was most likely meant for a stream. */
  private static String cameraHint(String key) {
    String hint = CAMERA_HINTS.get(key);
    if (hint != null) {
      return hint;
    }
    return KeySuggestion.closest(key, STREAM_KEYS)
        .map(
            k ->
                "did you mean the stream option '"
                    + k
                    + "'? It belongs to a stream: "
                    + "streams: {main: {"
                    + k
                    + ": ...}}")
        .orElse(null);
  }

  /** A camera's {@code dvr:} section: its retention, and its size bound or null. */
  private record Dvr(Duration retention, Long maxSize) {}

  private Dvr dvr(Optional<Entry> dvr) {
    if (dvr.isEmpty()) {
      return new Dvr(CameraConfig.DEFAULT_DVR_RETENTION, null);
    }
    Entry e = dvr.get();
    Optional<YamlMap> m =
        YamlMap.read(
            e.value(),
            e.path(),
            e.line(),
            errors,
            "a map with retention: and optionally maxSize:, e.g. dvr: {retention: 7d, maxSize: 50GB}",
            "key");
    m.ifPresent(map -> map.rejectUnknown(DVR_KEYS, DVR_HINTS, errors));
    Duration retention =
        settings.duration(
            m.flatMap(map -> map.get("retention")),
            io.camflow.options.StreamOptions.DVR_RETENTION,
            CameraConfig.DEFAULT_DVR_RETENTION);
    return new Dvr(retention, dvrMaxSize(m.flatMap(map -> map.get("maxSize"))));
  }

  /** {@code dvr.maxSize} within its definition's bounds; null when absent, empty or wrong. */
  private Long dvrMaxSize(Optional<Entry> option) {
    Entry e = option.orElse(null);
    String text = YamlMap.scalar(e, errors);
    if (text == null) {
      return null;
    }
    try {
      ANY_SIZE.parse(text);
    } catch (IllegalArgumentException bad) {
      errors.add(
          e.path(),
          e.value(),
          errors.mayQuote(text)
              ? "invalid data size " + errors.quote(text) + ": " + bad.getMessage()
              : "invalid data size (value hidden); write e.g. 500MB, 50GB or 2TiB");
      return null;
    }
    try {
      return io.camflow.options.StreamOptions.DVR_MAX_SIZE.type().parse(text);
    } catch (IllegalArgumentException outOfRange) {
      errors.add(e.path(), e.value(), outOfRange.getMessage() + ", not " + errors.quote(text));
      return null;
    }
  }

  /**
   * A pulled stream; null when it is wrong (reported) or published: then its name is added to
   * {@code published}.
   */
  private StreamConfig stream(
      String camera,
      boolean validCamera,
      Entry e,
      StreamDefaults defaults,
      List<String> published) {
    int before = errors.count();
    if (misindented(e)) {
      errors.add(
          e.path(),
          e.line(),
          "'"
              + e.key()
              + "' is a stream option, indented one level too little: "
              + "it belongs under a stream name, e.g. streams: {main: {"
              + (e.key().equals("source") ? "source: publish" : "url: ..., " + e.key() + ": ...")
              + "}}");
      return null;
    }
    boolean validName = validName(e, "stream name");
    if (validCamera && validName) {
      checkTopic(camera, e);
    }
    Node value = e.value();
    YamlMap options;
    Entry url;
    boolean unknownKeys = false;
    if (value instanceof ScalarNode && !YamlMap.isNull(value)) {
      // go2rtc style: the stream name maps straight to its URL
      options = YamlMap.empty();
      url = new Entry("url", value, value, e.path() + ".url");
    } else {
      Optional<YamlMap> read =
          YamlMap.read(
              value,
              e.path(),
              e.line(),
              errors,
              "a map of stream options (url, username, password, ...) or just the URL",
              "key");
      if (read.isEmpty()) {
        return null;
      }
      options = read.get();
      unknownKeys = options.rejectUnknown(STREAM_KEYS, STREAM_HINTS, errors);
      url = options.get("url").orElse(null);
    }
    StreamSource source = source(options.get("source").orElse(null));
    if (source == StreamSource.PUBLISH) {
      onlyPublishKeys(options);
      if (validCamera && errors.count() == before) {
        published.add(e.key());
      }
      return null;
    }
    if (source == null && url == null) {
      return null; // the source's error says what to write; "url missing" would say it twice
    }
    Entry usernameEntry = options.get("username").orElse(null);
    Entry passwordEntry = options.get("password").orElse(null);
    int beforeUsername = errors.count();
    String username = resolved(usernameEntry, false);
    boolean usernameFailed = errors.count() != beforeUsername;
    String password = resolved(passwordEntry, true);
    StreamUrl parsed = url(url, e);
    if (parsed != null && parsed.hasCredentials()) {
      if (username != null || password != null) {
        errors.add(
            url.path(),
            url.value(),
            "credentials are given twice, in the URL and as username/password; "
                + "keep one (username/password keeps them out of the URL)");
      } else {
        username = parsed.username();
        password = parsed.password();
      }
    }
    if (username != null && username.isEmpty()) {
      username = null;
    }
    if (username != null && StreamRules.usernameProblem(username) != null) {
      Entry at = usernameEntry != null ? usernameEntry : url;
      errors.add(at.path(), at.value(), StreamRules.usernameProblem(username));
    }
    // unless a misspelt or unresolvable username is reported already
    if (password != null && username == null && !unknownKeys && !usernameFailed) {
      Entry at = passwordEntry != null ? passwordEntry : url;
      errors.add(at.path(), at.value(), "a password needs a username; set username too");
    }
    StreamDefaults s = settings.read(options, defaults);
    CameraTls tls = tls(options, parsed, e);
    if (!validCamera || errors.count() != before) {
      return null;
    }
    return new StreamConfig(
        camera,
        e.key(),
        parsed.uri(),
        username,
        password == null ? null : Secret.of(password),
        s.transport(),
        s.mode(),
        s.idleGrace(),
        s.readTimeout(),
        s.backoff(),
        tls);
  }

  /**
   * A stream name that is a stream option was most likely meant as one. A stream named {@code
   * source} is one only when its value is a source: {@code source: rtsp://...} is a stream named so
   * (the short form), as it was before streams had a source.
   */
  private static boolean misindented(Entry stream) {
    if (!stream.key().equals("source")) {
      return STREAM_KEYS.contains(stream.key());
    }
    return stream.value() instanceof ScalarNode v
        && StreamSource.fromYaml(v.getValue()).isPresent();
  }

  /**
   * The stream's {@code source}: absent or empty is {@link StreamSource#PULL}; null when wrong
   * (reported). A URL there is MediaMTX's way of writing camflow's {@code url} (not quoted: it may
   * hold a password).
   */
  private StreamSource source(Entry e) {
    String text = YamlMap.scalar(e, errors);
    if (text == null) {
      return e != null && !YamlMap.isNull(e.value()) ? null : StreamSource.PULL;
    }
    Optional<StreamSource> source = StreamSource.fromYaml(text);
    if (source.isPresent()) {
      return source.get();
    }
    List<String> names = Arrays.stream(StreamSource.values()).map(StreamSource::yamlName).toList();
    String expected = "; expected " + String.join(" or ", names);
    if (text.contains("://") || text.strip().startsWith("synthetic:")) {
      errors.add(
          e.path(),
          e.value(),
          "MediaMTX's source is camflow's url: write url: ... instead" + expected);
      return null;
    }
    StringBuilder message = new StringBuilder("unknown source ").append(errors.quote(text));
    if (errors.mayQuote(text)) {
      KeySuggestion.closest(text, names)
          .ifPresent(n -> message.append(" (did you mean '").append(n).append("'?)"));
    }
    errors.add(e.path(), e.value(), message.append(expected).toString());
    return null;
  }

  /** A published stream has none of a pulled stream's options. */
  private void onlyPublishKeys(YamlMap options) {
    for (Entry o : options.entries()) {
      if (!o.key().equals("source")
          && STREAM_KEYS.contains(o.key())
          && !YamlMap.isNull(o.value())) {
        errors.add(o.path(), o.line(), StreamRules.notPublished(o.key()));
      }
    }
  }

  /**
   * tlsVerify, tlsCaFile and tlsFingerprint of an rtsps:// stream; {@link CameraTls#VERIFY} when
   * none is set.
   */
  private CameraTls tls(YamlMap options, StreamUrl parsed, Entry stream) {
    Entry verifyEntry = options.get("tlsVerify").orElse(null);
    Entry caEntry = options.get("tlsCaFile").orElse(null);
    Entry pinEntry = options.get("tlsFingerprint").orElse(null);
    Entry first = verifyEntry != null ? verifyEntry : caEntry != null ? caEntry : pinEntry;
    if (first == null) {
      return CameraTls.VERIFY;
    }
    if (parsed != null && !"rtsps".equals(parsed.uri().getScheme())) {
      errors.add(
          first.path(),
          first.value(),
          first.key()
              + " "
              + StreamRules.TLS_ONLY_RTSPS
              + " (this stream's URL is "
              + parsed.uri().getScheme()
              + ":)");
      return CameraTls.VERIFY;
    }
    int before = errors.count();
    boolean verify = true;
    String verifyText = YamlMap.scalar(verifyEntry, errors);
    if (verifyText != null) {
      switch (verifyText.strip()) {
        case "true" -> verify = true;
        case "false" -> verify = false;
        default ->
            errors.add(
                verifyEntry.path(),
                verifyEntry.value(),
                "must be true or false, not " + errors.quote(verifyText));
      }
    }
    java.nio.file.Path caFile = null;
    String caText = resolved(caEntry, false);
    if (caText != null) {
      caFile = java.nio.file.Path.of(caText.strip());
      try {
        CameraTls.checkCaFile(caFile);
      } catch (java.io.IOException bad) {
        errors.add(caEntry.path(), caEntry.value(), bad.getMessage());
      }
    }
    String pin = null;
    String pinText = YamlMap.scalar(pinEntry, errors);
    if (pinText != null) {
      pin = StreamRules.fingerprint(pinText).orElse(null);
      if (pin == null) {
        errors.add(
            pinEntry.path(),
            pinEntry.value(),
            StreamRules.FINGERPRINT_RULE + " (openssl x509 -noout -fingerprint -sha256)");
      }
    }
    if (errors.count() != before) {
      return CameraTls.VERIFY;
    }
    try {
      return new CameraTls(verify, caFile, pin);
    } catch (IllegalArgumentException bad) {
      errors.add(stream.path(), first.value(), bad.getMessage());
      return CameraTls.VERIFY;
    }
  }

  private StreamUrl url(Entry url, Entry stream) {
    int before = errors.count();
    String text = resolved(url, false);
    if (errors.count() != before) {
      return null;
    }
    if (text == null || text.isBlank()) {
      errors.add(
          stream.path() + ".url",
          url == null ? stream.line() : ConfigErrors.line(url.value()),
          MISSING_URL);
      return null;
    }
    try {
      return StreamUrl.parse(text.strip(), errors::quote);
    } catch (IllegalArgumentException bad) {
      errors.add(url.path(), url.value(), bad.getMessage());
      return null;
    }
  }

  /**
   * A single-value option with {@code ${env:NAME}} references replaced; null when absent, empty or
   * wrong.
   */
  private String resolved(Entry e, boolean secret) {
    String text = YamlMap.scalar(e, errors);
    if (text == null) {
      return null;
    }
    // a value that contains a password elsewhere in the file gets the secret treatment too
    EnvReferences.Resolved r = env.resolve(text, secret || !errors.mayQuote(text));
    r.problems().forEach(p -> errors.add(e.path(), e.value(), p));
    return r.value();
  }

  private boolean validName(Entry e, String what) {
    if (StreamKey.isValidPart(e.key())) {
      return true;
    }
    StringBuilder message =
        new StringBuilder(what)
            .append(' ')
            .append(errors.quote(e.key()))
            .append(' ')
            .append(NAME_RULE);
    String suggestion =
        e.key()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_-]+", "-")
            .replaceAll("^[-_]+|[-_]+$", "");
    if (suggestion.length() > 64) {
      suggestion = suggestion.substring(0, 64);
    }
    if (StreamKey.isValidPart(suggestion) && errors.mayQuote(e.key())) {
      message.append(", e.g. '").append(suggestion).append('\'');
    }
    errors.add(e.path(), e.line(), message.toString());
    return false;
  }

  private void checkTopic(String camera, Entry stream) {
    StreamKey key = new StreamKey(camera, stream.key());
    String other =
        topicsByMetricName.putIfAbsent(key.mediaTopic().replace('.', '_'), key.toString());
    if (other != null) {
      errors.add(
          stream.path(),
          stream.line(),
          "Kafka cannot hold topic "
              + key.mediaTopic()
              + " next to the topic of "
              + other
              + " (it treats '.' and '_' in topic names alike); rename one of the two");
    }
  }
}
