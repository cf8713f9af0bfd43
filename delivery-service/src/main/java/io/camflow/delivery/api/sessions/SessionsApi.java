package io.camflow.delivery.api.sessions;

import static io.camflow.delivery.api.JsonReplies.error;
import static io.camflow.delivery.api.JsonReplies.json;

import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/sessions}: the viewers of this delivery instance, all protocols (docs/api.md).
 * Admin only ({@code camflow:admin}, checked by {@code ApiRequests} before this is called). A
 * session shows who, how, what, since when, from where and the bytes sent — never a token.
 *
 * <pre>
 * GET    /api/v1/sessions[?camera=&amp;stream=]   the sessions, oldest first
 * GET    /api/v1/sessions/{id}                 one session
 * DELETE /api/v1/sessions/{id}                 disconnect it (204)
 * </pre>
 */
public final class SessionsApi {

  private static final Logger LOG = LoggerFactory.getLogger(SessionsApi.class);

  private final ViewerSessions sessions;

  public SessionsApi(ViewerSessions sessions) {
    this.sessions = sessions;
  }

  /** Whether the path segments after /api/v1/ are a sessions call. */
  public static boolean serves(List<String> seg) {
    return !seg.isEmpty() && seg.get(0).equals("sessions");
  }

  public void handle(
      String method,
      List<String> seg,
      Map<String, List<String>> query,
      Caller caller,
      Consumer<Reply> answer) {
    if (seg.size() == 1) {
      answer.accept(method.equals("GET") ? list(query) : error(405, "only GET"));
    } else if (seg.size() == 2) {
      String id = seg.get(1);
      switch (method) {
        case "GET" ->
            answer.accept(
                sessions
                    .find(id)
                    .map(s -> json(200, view(s)))
                    .orElseGet(() -> error(404, "no such session")));
        case "DELETE" -> answer.accept(disconnect(id, caller));
        default -> answer.accept(error(405, "GET shows, DELETE disconnects"));
      }
    } else {
      answer.accept(error(404, "no such API path"));
    }
  }

  private Reply list(Map<String, List<String>> query) {
    String camera;
    String stream;
    try {
      camera = filter(query, "camera");
      stream = filter(query, "stream");
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    }
    return json(
        200,
        sessions.list().stream()
            .filter(s -> camera == null || s.stream().camera().equals(camera))
            .filter(s -> stream == null || s.stream().stream().equals(stream))
            .map(SessionsApi::view)
            .toList());
  }

  private Reply disconnect(String id, Caller caller) {
    ViewerSession s = sessions.find(id).orElse(null);
    if (s == null || !sessions.disconnect(id)) {
      return error(404, "no such session");
    }
    LOG.info("{} disconnected the {}", caller, s);
    return new Reply(204, Reply.TEXT, Reply.NO_CACHE, List.of());
  }

  /** A filter's value, null if absent; IllegalArgumentException if repeated or not a name. */
  private static String filter(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    if (v == null) {
      return null;
    }
    if (v.size() != 1 || !StreamKey.isValidPart(v.get(0))) {
      throw new IllegalArgumentException(
          name + ": must be one value matching [a-z0-9][a-z0-9_-]{0,63}");
    }
    return v.get(0);
  }

  static Map<String, Object> view(ViewerSession s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.id());
    out.put("user", s.user());
    out.put("protocol", s.protocol().id());
    out.put("camera", s.stream().camera());
    out.put("stream", s.stream().stream());
    out.put("since", s.since().toString());
    out.put("bytes", s.bytes());
    out.put("remote", s.remote());
    out.put("publishing", s.publishing());
    return out;
  }
}
