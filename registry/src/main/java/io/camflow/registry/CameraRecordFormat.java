package io.camflow.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON value of a {@code camflow.cameras} record (docs/record-format.md), both ways. Written by
 * hand rather than by data binding so the field names are the documented ones and a password field
 * can only ever hold the sealed value. The camera's {@code source} says who manages it ({@code
 * file} or {@code api}); a stream's says where its media comes from ({@code publish}, or absent:
 * pulled from its {@code url}).
 */
public final class CameraRecordFormat {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CameraRecordFormat() {}

  public static byte[] encode(CameraEntry camera) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", camera.id());
    o.put("source", camera.source());
    putIf(o, "dvrRetention", camera.dvrRetention());
    putIf(o, "dvrMaxSize", camera.dvrMaxSize());
    ArrayNode streams = o.putArray("streams");
    for (StreamEntry s : camera.streams()) {
      ObjectNode j = streams.addObject();
      j.put("name", s.name());
      if (s.published()) {
        j.put("source", s.source().yamlName()); // a pulled stream's is left out, as before
      } else {
        j.put("url", s.url());
      }
      putIf(j, "username", s.username());
      putIf(j, "password", s.sealedPassword());
      s.settings().texts().forEach((field, text) -> putIf(j, field, text));
      if (s.tlsVerify() != null) {
        j.put("tlsVerify", s.tlsVerify());
      }
      putIf(j, "tlsFingerprint", s.tlsFingerprint());
    }
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @throws IllegalArgumentException when the value is not a camera record (the message quotes no
   *     value)
   */
  public static CameraEntry decode(byte[] value) {
    JsonNode o;
    try {
      o = MAPPER.readTree(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (o == null || !o.isObject() || !o.path("streams").isArray()) {
      throw new IllegalArgumentException(
          "not a camera record (an object with id, source and streams)");
    }
    List<StreamEntry> streams = new ArrayList<>();
    for (JsonNode j : o.get("streams")) {
      String password = text(j, "password");
      if (password != null && !password.startsWith(SecretBox.VERSION)) {
        throw new IllegalArgumentException(
            "a password that is not sealed (v1:…) in a camera record");
      }
      streams.add(
          new StreamEntry(
              text(j, "name"),
              text(j, "url"),
              text(j, "username"),
              password,
              StreamSettings.read(field -> text(j, field)),
              j.path("tlsVerify").isBoolean() ? j.get("tlsVerify").asBoolean() : null,
              text(j, "tlsFingerprint"),
              streamSource(text(j, "source"))));
    }
    // records written before dvrMaxSize existed have none: no size bound
    return new CameraEntry(
        text(o, "id"), text(o, "source"), streams, text(o, "dvrRetention"), text(o, "dvrMaxSize"));
  }

  /** Absent in records written before streams could be published: pulled. */
  private static StreamSource streamSource(String text) {
    return text == null
        ? StreamSource.PULL
        : StreamSource.fromYaml(text)
            .orElseThrow(
                () -> new IllegalArgumentException("streams[].source " + StreamSource.RULE));
  }

  private static void putIf(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
