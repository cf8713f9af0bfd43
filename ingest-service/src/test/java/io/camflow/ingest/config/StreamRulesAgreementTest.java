package io.camflow.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camflow.registry.CameraRequest;
import io.camflow.registry.FieldError;
import io.camflow.registry.InvalidCameraException;
import io.camflow.registry.StreamRules;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stream rule broken in config/camflow.yaml and in an API request gives the same message: both
 * check it with {@link StreamRules} (the file may add a hint of its own after it).
 */
class StreamRulesAgreementTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The file's message for the stream option {@code field}. */
  private static String file(String url, String field, String value) {
    String yaml =
        "cameras:\n  cam:\n    streams:\n      main:\n        url: "
            + url
            + "\n"
            + (field == null ? "" : "        " + field + ": " + value + "\n");
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> ConfigLoader.parse(yaml, "camflow.yaml", Map.of()));
    assertEquals(1, e.errors().size(), e.errors().toString());
    assertEquals(
        "cameras.cam.streams.main." + (field == null ? "url" : field), e.errors().get(0).field());
    return e.errors().get(0).message();
  }

  /** The API's message for {@code streams[0].<field>}. */
  private static String api(String url, String field, Object value) {
    ObjectNode stream = JSON.createObjectNode().put("name", "main").put("url", url);
    if (field != null) {
      stream.set(field, JSON.valueToTree(value));
    }
    ObjectNode body = JSON.createObjectNode().put("id", "cam");
    body.putArray("streams").add(stream);
    InvalidCameraException e =
        assertThrows(InvalidCameraException.class, () -> CameraRequest.parse(body, null));
    assertEquals(1, e.errors().size(), e.errors().toString());
    FieldError only = e.errors().get(0);
    assertEquals("streams[0]." + (field == null ? "url" : field), only.field());
    return only.message();
  }

  @Test
  void aMalformedFingerprint() {
    String api = api("rtsps://cam/live", "tlsFingerprint", "abc");
    assertEquals(StreamRules.FINGERPRINT_RULE, api);
    assertTrue(file("rtsps://cam/live", "tlsFingerprint", "abc").startsWith(api));
  }

  @Test
  void tlsSettingsOnAPlainRtspUrl() {
    String api = api("rtsp://cam/live", "tlsVerify", false);
    assertEquals(StreamRules.TLS_ONLY_RTSPS, api);
    assertTrue(file("rtsp://cam/live", "tlsVerify", "false").contains(api));
  }

  @Test
  void aUsernameTooLong() {
    String name = "u".repeat(256);
    String api = api("rtsp://cam/live", "username", name);
    assertEquals(StreamRules.USERNAME_RULE, api);
    assertEquals(api, file("rtsp://cam/live", "username", name));
  }

  @Test
  void aUrlWithoutSlashes() {
    assertEquals(file("rtsp:cam/live", null, null), api("rtsp:cam/live", null, null));
  }

  @Test
  void aUrlWithABadPort() {
    String file = file("rtsp://cam:99999/live", null, null);
    assertEquals("invalid port; expected a number from 1 to 65535", file);
    assertEquals("has an " + file, api("rtsp://cam:99999/live", null, null));
  }

  @Test
  void aUrlOnAPublishedStream() {
    InvalidConfigException file =
        assertThrows(
            InvalidConfigException.class,
            () ->
                ConfigLoader.parse(
                    "cameras: {cam: {streams: {main: {source: publish, url: rtsp://cam/live}}}}\n",
                    "camflow.yaml",
                    Map.of()));
    ObjectNode stream =
        JSON.createObjectNode()
            .put("name", "main")
            .put("source", "publish")
            .put("url", "rtsp://cam/live");
    ObjectNode body = JSON.createObjectNode().put("id", "cam");
    body.putArray("streams").add(stream);
    InvalidCameraException api =
        assertThrows(InvalidCameraException.class, () -> CameraRequest.parse(body, null));
    assertEquals(StreamRules.notPublished("url"), api.errors().get(0).message());
    assertEquals(api.errors().get(0).message(), file.errors().get(0).message());
    assertEquals("cameras.cam.streams.main.url", file.errors().get(0).field());
  }
}
