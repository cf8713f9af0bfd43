package io.camflow.delivery.api.cameras;

import io.camflow.delivery.door.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of every {@code /api/v1} call, a
 * hand-written resource beside this class. Public: it describes the API, it holds no data.
 */
public final class OpenApiDocument {

  public static final String PATH = "/api/v1/openapi.json";
  private static final byte[] DOCUMENT = load();

  private OpenApiDocument() {}

  public static Reply reply() {
    return new Reply(200, "application/json", Reply.NO_CACHE, List.of(DOCUMENT));
  }

  private static byte[] load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the delivery-service jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
