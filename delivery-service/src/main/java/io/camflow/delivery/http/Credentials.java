package io.camflow.delivery.http;

import java.util.List;
import java.util.Map;

/**
 * Where a request's credentials are: {@code Authorization: Bearer <token>} (RFC 6750 2.1), or, for
 * clients that cannot set headers (WebSocket, native HLS players), the {@code access_token} query
 * parameter (RFC 6750 2.3). The header wins when both are there.
 */
public final class Credentials {

  public static final String ACCESS_TOKEN = "access_token";

  private Credentials() {}

  /** The token of a Bearer Authorization header, or null (absent, another scheme, empty). */
  public static String bearer(String authorization) {
    if (authorization == null || authorization.length() < 8
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** The bearer token of a request: header first, then a single {@code access_token} parameter. */
  public static String token(String authorization, Map<String, List<String>> query) {
    String header = bearer(authorization);
    if (header != null) {
      return header;
    }
    List<String> values = query.get(ACCESS_TOKEN);
    return values != null && values.size() == 1 && !values.get(0).isEmpty() ? values.get(0) : null;
  }
}
