package io.camflow.delivery.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.door.Reply;
import io.camflow.registry.FieldError;
import java.util.List;
import java.util.Map;

/**
 * The REST API's JSON answers, for every call: a body, {@code {"error":…}}, or the 400's {@code
 * {"errors":[{field,message}]}}. Never cached.
 */
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

  /** {@code 400 {"errors":[{field,message}]}}: every bad field of a request. */
  public static Reply invalid(List<FieldError> errors) {
    return json(
        400,
        Map.of(
            "errors",
            errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList()));
  }
}
