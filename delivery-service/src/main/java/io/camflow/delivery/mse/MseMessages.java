package io.camflow.delivery.mse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The text messages of the MSE protocol (docs/mse.md): the client's {@code play} and the server's
 * events. Built with Jackson so codec strings that came from a client or a camera are escaped.
 */
public final class MseMessages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MseMessages() {}

  /** The client's {@code {"type":"play","codecs":[...]}}: its codecs; IllegalArgumentException if it is not one. */
  public static List<String> play(String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (n == null || !n.isObject() || !"play".equals(n.path("type").asText()) || !n.path("codecs").isArray()) {
      throw new IllegalArgumentException("expected {\"type\":\"play\",\"codecs\":[...]}");
    }
    List<String> codecs = new ArrayList<>();
    for (JsonNode c : n.path("codecs")) {
      if (c.isTextual() && codecs.size() < 64) {
        codecs.add(c.asText());
      }
    }
    return codecs;
  }

  public static String init(String codecs) {
    return object("init").put("codecs", codecs).put("mime", "video/mp4; codecs=\"" + codecs + "\"").toString();
  }

  public static String live() {
    return "{\"type\":\"live\"}";
  }

  public static String offline() {
    return "{\"type\":\"offline\"}";
  }

  public static String online() {
    return "{\"type\":\"online\"}";
  }

  public static String dropped(long skippedMs) {
    return object("dropped").put("reason", "slow-viewer").put("skippedMs", Math.max(0, skippedMs)).toString();
  }

  public static String limit() {
    return "{\"type\":\"limit\"}";
  }

  /** An administrator ended this viewer's session (DELETE /api/v1/sessions/{id}); a close 1008 follows. */
  public static String disconnected() {
    return object("disconnected").put("reason", DISCONNECTED).toString();
  }

  /** The reason of the close that follows {@link #disconnected()}. */
  public static final String DISCONNECTED = "disconnected by an administrator";

  public static String shutdown() {
    return "{\"type\":\"shutdown\"}";
  }

  public static String unsupported(String streamCodecs) {
    return object("error").put("reason", "unsupported-codec").put("codecs", streamCodecs).toString();
  }

  public static String badRequest(String why) {
    return object("error").put("reason", "bad-request").put("message", why).toString();
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode object(String type) {
    return JSON.createObjectNode().put("type", type);
  }
}
