package io.camflow.delivery.door;

import io.camflow.delivery.auth.Access;
import java.util.List;
import java.util.Map;

/**
 * Where a request's credentials are: {@code Authorization: Bearer <token>} (RFC 6750 2.1), or, only
 * on the doors of clients that cannot set headers — the MSE WebSocket (browsers), HLS playlists and
 * media (native players), snapshots ({@code <img>} tags) — the {@code access_token} query parameter
 * (RFC 6750 2.3). The header wins when both are there. Every other door (the REST API, WHEP, health
 * and metrics) is called by code that can set a header, and refuses a token in its URL: URLs end up
 * in proxy logs, browser history and Referer headers.
 */
public final class Credentials {

  public static final String ACCESS_TOKEN = "access_token";

  /** The refusal of a token in the URL of a door that takes it from the header only. */
  public static final String NOT_IN_URL =
      "access_token in the URL is not accepted here: send the token as Authorization: Bearer <token>";

  private Credentials() {}

  /** The token of a Bearer Authorization header, or null (absent, another scheme, empty). */
  public static String bearer(String authorization) {
    if (authorization == null
        || authorization.length() < 8
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /**
   * The bearer token of a request to a door whose clients may not be able to set headers
   * (WebSocket, native HLS players): header first, then a single {@code access_token} parameter.
   */
  public static String token(String authorization, Map<String, List<String>> query) {
    String header = bearer(authorization);
    if (header != null) {
      return header;
    }
    List<String> values = query.get(ACCESS_TOKEN);
    return values != null && values.size() == 1 && !values.get(0).isEmpty() ? values.get(0) : null;
  }

  /**
   * For a door that takes its token from the Authorization header only: the refusal (401, counted
   * like every refusal) of a request that carries {@code access_token} in its URL anyway — even
   * beside a valid header, so a client learns to stop putting tokens in URLs. Null when the URL has
   * none, or when auth is off.
   */
  public static Access.Refused refusedInUrl(
      Access access, String client, Map<String, List<String>> query) {
    if (!access.enabled() || !query.containsKey(ACCESS_TOKEN)) {
      return null;
    }
    return access.refuse(client, 401, NOT_IN_URL);
  }
}
