package io.camflow.delivery.mse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.sessions.Ending;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text messages of the MSE protocol (docs/mse.md): the client's {@code play} and {@code token},
 * and the server's events. Built with Jackson so codec strings that came from a client or a camera
 * are escaped.
 */
public final class MseMessages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MseMessages() {}

  /** A message of the client. */
  sealed interface FromClient {}

  /**
   * {@code {"type":"play","codecs":[...]}}: start, with these codecs; live, or from {@code at} in
   * the recording ({@code "at":"<ISO-8601>"}, null for live) at {@code rate} (1 unless said).
   */
  record Play(List<String> codecs, Instant at, double rate) implements FromClient {}

  /** {@code {"type":"seek","at":"<ISO-8601>"}}: play the recording from this instant. */
  record Seek(Instant at) implements FromClient {}

  /** {@code {"type":"rate","rate":n}}: the client plays at this rate (0.5 to 8). */
  record Rate(double rate) implements FromClient {}

  /** {@code {"type":"position","time":s}}: where the client's player is, media seconds. */
  record Position(double time) implements FromClient {}

  /** {@code {"type":"golive"}}: back to the live edge. */
  record GoLive() implements FromClient {}

  /** {@code {"type":"token","token":"..."}}: a fresh access token for the session to go on with. */
  record Token(String token) implements FromClient {
    @Override
    public String toString() {
      return "Token[...]"; // never the token itself
    }
  }

  /** A message of a type this server does not know (a newer client's): ignored. */
  record Other() implements FromClient {}

  /**
   * Reads a client message; IllegalArgumentException if it is not JSON, or a play or token message
   * without its field.
   */
  static FromClient fromClient(String text) {
    JsonNode n = tree(text);
    String type = n.path("type").asText();
    return switch (type) {
      case "play" ->
          new Play(
              play(n),
              n.has("at") ? instant(n.path("at")) : null,
              n.has("rate") ? rate(n.path("rate")) : 1);
      case "seek" -> new Seek(instant(n.path("at")));
      case "rate" -> new Rate(rate(n.path("rate")));
      case "position" -> {
        JsonNode t = n.path("time");
        if (!t.isNumber() || !Double.isFinite(t.asDouble()) || t.asDouble() < 0) {
          throw new IllegalArgumentException("expected {\"type\":\"position\",\"time\":<seconds>}");
        }
        yield new Position(t.asDouble());
      }
      case "golive" -> new GoLive();
      case "token" -> {
        JsonNode t = n.path("token");
        if (!t.isTextual() || t.asText().isEmpty()) {
          throw new IllegalArgumentException(
              "expected {\"type\":\"token\",\"token\":\"<access token>\"}");
        }
        yield new Token(t.asText());
      }
      default -> new Other();
    };
  }

  /**
   * The client's {@code {"type":"play","codecs":[...]}}: its codecs; IllegalArgumentException if it
   * is not one.
   */
  public static List<String> play(String text) {
    return play(tree(text));
  }

  private static JsonNode tree(String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return n;
  }

  private static Instant instant(JsonNode n) {
    if (!n.isTextual()) {
      throw new IllegalArgumentException("expected \"at\":\"<ISO-8601 instant>\"");
    }
    try {
      return OffsetDateTime.parse(n.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "\"at\" is not an ISO-8601 instant with a zone, such as 2026-12-07T10:15:30Z");
    }
  }

  private static double rate(JsonNode n) {
    double r = n.asDouble(Double.NaN);
    if (!n.isNumber() || !(r >= Replay.MIN_RATE && r <= Replay.MAX_RATE)) {
      throw new IllegalArgumentException(
          "\"rate\" must be a number from " + Replay.MIN_RATE + " to " + Replay.MAX_RATE);
    }
    return r;
  }

  private static List<String> play(JsonNode n) {
    if (!"play".equals(n.path("type").asText()) || !n.path("codecs").isArray()) {
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
    return object("init")
        .put("codecs", codecs)
        .put("mime", "video/mp4; codecs=\"" + codecs + "\"")
        .toString();
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
    return object("dropped")
        .put("reason", "slow-viewer")
        .put("skippedMs", Math.max(0, skippedMs))
        .toString();
  }

  public static String limit() {
    return "{\"type\":\"limit\"}";
  }

  /**
   * An administrator ended this viewer's session (DELETE /api/v1/sessions/{id}); a close 1008
   * follows.
   */
  public static String disconnected() {
    return object("disconnected").put("reason", DISCONNECTED).toString();
  }

  /** The reason of the close that follows {@link #disconnected()}. */
  public static final String DISCONNECTED = "disconnected by an administrator";

  /**
   * The session goes on with the fresh token until {@code deadline} (epoch seconds: its exp plus
   * the grace).
   */
  public static String renewed(long deadline) {
    return object("renewed").put("until", deadline).toString();
  }

  /**
   * A fresh token could not be checked now (the realm's keys are unavailable): the session goes on
   * as before.
   */
  public static String tokenUnchecked(long retryAfterSeconds) {
    return object("token-unchecked").put("retryAfter", Math.max(1, retryAfterSeconds)).toString();
  }

  /**
   * The session ends because of its token ({@code reason}: its {@link Ending#id()}); a close 1008
   * follows.
   */
  public static String ended(Ending why) {
    return object("ended").put("reason", why.id()).put("message", why.reason()).toString();
  }

  public static String shutdown() {
    return "{\"type\":\"shutdown\"}";
  }

  public static String unsupported(String streamCodecs) {
    return object("error")
        .put("reason", "unsupported-codec")
        .put("codecs", streamCodecs)
        .toString();
  }

  /**
   * Playback of the recording starts: the first picture shown is {@code at}'s, at media time {@code
   * time}; {@code clamped} when that is later than asked (a gap, or before the oldest).
   */
  static String recording(Instant at, double time, boolean clamped) {
    return object("recording")
        .put("at", at.toString())
        .put("time", time)
        .put("clamped", clamped)
        .toString();
  }

  /**
   * The recorded segment that follows (binary) starts at {@code start}, media time {@code time}.
   */
  static String segment(Instant start, double time, double duration) {
    return object("segment")
        .put("start", start.toString())
        .put("time", time)
        .put("duration", duration)
        .toString();
  }

  /** The newest recorded segment has been sent; more follow as they are recorded. */
  static String edge() {
    return "{\"type\":\"edge\"}";
  }

  /** Retention deleted the position: playback goes on from the oldest kept, {@code oldest}. */
  static String retention(Instant oldest) {
    return object("retention").put("oldest", oldest.toString()).toString();
  }

  /** A seek or rate was not done ({@code reason}: a word; {@code message}: for people). */
  static String refused(String reason, String message) {
    return object("refused").put("reason", reason).put("message", message).toString();
  }

  /** The recording cannot be read now; the server tries again. */
  static String stalled(String why) {
    return object("stalled")
        .put("message", "the recording cannot be read now; trying again (" + why + ")")
        .toString();
  }

  public static String badRequest(String why) {
    return object("error").put("reason", "bad-request").put("message", why).toString();
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode object(String type) {
    return JSON.createObjectNode().put("type", type);
  }
}
