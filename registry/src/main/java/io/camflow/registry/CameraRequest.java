package io.camflow.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.camflow.media.StreamKey;
import io.camflow.options.Durations;
import io.camflow.options.StreamOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates the body of {@code POST /api/v1/cameras} and {@code PUT /api/v1/cameras/{id}} against
 * the rules config/camflow.yaml follows (names, sources, URL shapes, modes, transports, duration
 * ranges), collecting every bad field rather than stopping at the first. Messages never quote a URL
 * or a password. Read-only fields a {@code GET} returns (state, urls, ...) are accepted and
 * ignored, so a client may send back what it read.
 */
public final class CameraRequest {

  static final Set<String> CAMERA_FIELDS = Set.of("id", "streams", "dvrRetention", "dvrMaxSize");
  static final Set<String> CAMERA_READ_ONLY = Set.of("source");
  static final Set<String> STREAM_FIELDS =
      java.util.stream.Stream.of(
              List.of("name", "source", "url", "username", "password"),
              StreamSettings.FIELDS,
              List.of("tlsVerify", "tlsFingerprint"))
          .flatMap(List::stream)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
  static final Set<String> STREAM_READ_ONLY =
      Set.of(
          "state",
          "lastError",
          "since",
          "codec",
          "codecString",
          "width",
          "height",
          "fps",
          "bitrateKbps",
          "urls",
          "passwordSet");

  private static final String NAME_RULE = StreamRules.NAME_RULE;

  private final List<FieldError> errors = new ArrayList<>();

  private CameraRequest() {}

  /**
   * @param pathId the id in the URL ({@code PUT}), or null ({@code POST}: the body's {@code id})
   * @throws InvalidCameraException naming every bad field
   */
  public static CameraDraft parse(JsonNode body, String pathId) throws InvalidCameraException {
    return new CameraRequest().read(body, pathId);
  }

  private CameraDraft read(JsonNode body, String pathId) throws InvalidCameraException {
    if (body == null || !body.isObject()) {
      throw new InvalidCameraException(
          List.of(new FieldError("", "the body must be a JSON object")));
    }
    unknown(body, "", CAMERA_FIELDS, CAMERA_READ_ONLY);
    String id = pathId;
    JsonNode idNode = body.get("id");
    if (pathId == null) {
      id = string(body, "id", "", true);
      if (id != null && !StreamKey.isValidPart(id)) {
        add("id", NAME_RULE);
        id = null;
      }
    } else if (idNode != null && !idNode.isNull() && !pathId.equals(idNode.asText())) {
      add("id", "differs from the id in the path; a camera's id cannot change");
    }
    String dvr = setting(body, "dvrRetention", StreamOptions.DVR_RETENTION, "");
    String maxSize = setting(body, "dvrMaxSize", StreamOptions.DVR_MAX_SIZE, "");
    List<StreamEntry> streams = new ArrayList<>();
    Map<String, String> passwords = new HashMap<>();
    JsonNode list = body.get("streams");
    if (list == null || list.isNull()) {
      add("streams", "is required: a list of at least one stream");
    } else if (!list.isArray() || list.isEmpty()) {
      add("streams", "must be a list of at least one stream");
    } else {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String at = "streams[" + i + "]";
        StreamEntry s = stream(list.get(i), at, passwords);
        if (s != null && !names.add(s.name())) {
          add(at + ".name", "another stream of this camera has this name");
        }
        if (s != null) {
          streams.add(s);
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidCameraException(errors);
    }
    return new CameraDraft(new CameraEntry(id, CameraEntry.API, streams, dvr, maxSize), passwords);
  }

  private StreamEntry stream(JsonNode s, String at, Map<String, String> passwords) {
    if (s == null || !s.isObject()) {
      add(at, "must be an object with name and url");
      return null;
    }
    int before = errors.size();
    unknown(s, at + ".", STREAM_FIELDS, STREAM_READ_ONLY);
    String name = string(s, "name", at + ".", true);
    if (name != null && !StreamKey.isValidPart(name)) {
      add(at + ".name", NAME_RULE);
    }
    StreamSource source = source(s, at);
    if (source == StreamSource.PUBLISH) {
      return published(s, at, name, before);
    }
    // a wrong source is reported; the url may be missing because a published stream was meant
    String url = string(s, "url", at + ".", source == StreamSource.PULL);
    if (url != null) {
      String problem = StreamRules.urlProblem(url);
      if (problem != null) {
        add(at + ".url", problem);
      }
    }
    String username = string(s, "username", at + ".", false);
    if (username != null && StreamRules.usernameProblem(username) != null) {
      add(at + ".username", StreamRules.usernameProblem(username));
    }
    String password = string(s, "password", at + ".", false);
    if (password != null && !password.isEmpty()) {
      if (username == null) {
        add(at + ".password", StreamRules.PASSWORD_NEEDS_USERNAME);
      } else if (password.length() > StreamRules.MAX_PASSWORD) {
        add(at + ".password", "is longer than " + StreamRules.MAX_PASSWORD + " characters");
      }
    }
    StreamSettings settings =
        StreamSettings.read(
            field -> string(s, field, at + ".", false), (field, m) -> add(at + "." + field, m));
    Boolean tlsVerify = null;
    JsonNode verify = s.get("tlsVerify");
    if (verify != null && !verify.isNull()) {
      if (verify.isBoolean()) {
        tlsVerify = verify.asBoolean();
      } else {
        add(at + ".tlsVerify", "must be true, false or null");
      }
    }
    String tlsFingerprint = string(s, "tlsFingerprint", at + ".", false);
    if (tlsFingerprint != null) {
      tlsFingerprint = StreamRules.fingerprint(tlsFingerprint).orElse(null);
      if (tlsFingerprint == null) {
        add(at + ".tlsFingerprint", StreamRules.FINGERPRINT_RULE);
      }
    }
    boolean tlsSet = tlsVerify != null || tlsFingerprint != null;
    if (tlsSet && url != null && !StreamRules.isRtsps(url)) {
      add(at + (tlsVerify != null ? ".tlsVerify" : ".tlsFingerprint"), StreamRules.TLS_ONLY_RTSPS);
    } else if (Boolean.FALSE.equals(tlsVerify) && tlsFingerprint != null) {
      add(
          at + ".tlsVerify",
          "false accepts any certificate; a tlsFingerprint would be ignored (remove one of them)");
    }
    if (errors.size() != before) {
      return null;
    }
    if (password != null && !password.isEmpty()) {
      passwords.put(name, password);
    }
    return new StreamEntry(name, url, username, null, settings, tlsVerify, tlsFingerprint);
  }

  /** The stream's source: absent is pull; null when wrong (reported). */
  private StreamSource source(JsonNode s, String at) {
    String text = string(s, "source", at + ".", false);
    if (text == null) {
      return StreamSource.PULL;
    }
    StreamSource source = StreamSource.fromYaml(text).orElse(null);
    if (source == null) {
      add(at + ".source", StreamSource.RULE);
    }
    return source;
  }

  /**
   * A published stream: a name and nothing a pulled stream has. An empty password is accepted, as
   * on every stream ("keep the stored one": there is none).
   */
  private StreamEntry published(JsonNode s, String at, String name, int before) {
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      JsonNode v = s.get(f);
      boolean set = !v.isNull() && !(f.equals("password") && v.isTextual() && v.asText().isEmpty());
      if (set && STREAM_FIELDS.contains(f) && !f.equals("name") && !f.equals("source")) {
        add(at + "." + f, StreamRules.notPublished(f));
      }
    }
    return errors.size() == before ? StreamEntry.published(name) : null;
  }

  private void unknown(JsonNode o, String prefix, Set<String> known, Set<String> readOnly) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f) && !readOnly.contains(f)) {
        add(prefix + f, "unknown field; expected one of " + new java.util.TreeSet<>(known));
      }
    }
  }

  private String string(JsonNode o, String field, String prefix, boolean required) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        add(prefix + field, "is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      add(prefix + field, "must be a string");
      return null;
    }
    return v.asText();
  }

  /**
   * {@code field}, checked by {@code setting}'s definition; its text as stored (durations as
   * written, choices in lower case), or null when absent or wrong (then reported).
   */
  private String setting(
      JsonNode o, String field, io.camflow.options.Option<?> setting, String prefix) {
    String v = string(o, field, prefix, false);
    if (v == null) {
      return null;
    }
    if (setting.defaultValue()
        instanceof Duration) { // say what is wrong with the text, as the file does
      try {
        Durations.parse(v);
      } catch (IllegalArgumentException e) {
        add(prefix + field, "invalid duration: " + e.getMessage());
        return null;
      }
    }
    try {
      Object value = setting.type().parse(v);
      return value instanceof String text ? text : v.strip();
    } catch (IllegalArgumentException e) {
      add(prefix + field, e.getMessage());
      return null;
    }
  }

  private void add(String field, String message) {
    errors.add(new FieldError(field, message));
  }
}
