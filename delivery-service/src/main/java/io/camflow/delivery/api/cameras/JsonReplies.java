package io.camflow.delivery.api.cameras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.door.Reply;
import io.camflow.registry.FieldError;
import java.util.List;
import java.util.Map;

/**
 * The camera API's JSON answers: bodies, {@code {"error":…}} and the 400's {@code
 * {"errors":[{field,message}]}}.
 */
final class JsonReplies {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonReplies() {}

  static Reply json(int status, Object body) {
    try {
      return new Reply(
          status, "application/json", Reply.NO_CACHE, List.of(MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Reply error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  static Reply invalid(List<FieldError> errors) {
    return json(
        400,
        Map.of(
            "errors",
            errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList()));
  }
}
