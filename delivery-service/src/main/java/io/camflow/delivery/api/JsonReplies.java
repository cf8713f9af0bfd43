package io.camflow.delivery.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.door.Reply;
import java.util.List;
import java.util.Map;

/** The REST API's JSON answers: a body, or {@code {"error":…}}. Never cached. */
public final class JsonReplies {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonReplies() {}

  public static Reply json(int status, Object body) {
    try {
      return new Reply(
          status, "application/json", Reply.NO_CACHE, List.of(MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Reply error(int status, String message) {
    return json(status, Map.of("error", message));
  }
}
