package io.camflow.delivery.rtsp;

import io.camflow.delivery.door.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What an RTSP request presents as credentials. RTSP clients (VLC, FFmpeg, GStreamer, NVRs) send
 * Basic credentials ({@code rtsp://user:password@host/…}): a password shaped like a JWT is an
 * access token (any user name, as MediaMTX takes it); any other is the secret of the Keycloak
 * client named by the user name — an NVR's long-lived credentials. A client that can set headers
 * sends {@code Bearer}; a script puts a token in the URL as {@code ?jwt=} or {@code
 * ?access_token=}. The header wins.
 */
sealed interface RtspCredentials {

  /** An access token. */
  record Token(String token) implements RtspCredentials {}

  /** A Keycloak client's id and secret. */
  record ClientSecret(String clientId, String secret) implements RtspCredentials {}

  /** Nothing presented. */
  record None() implements RtspCredentials {}

  String JWT = "jwt";

  /** What the request presents. */
  static RtspCredentials of(String authorization, RtspUrl url) {
    String bearer = Credentials.bearer(authorization);
    if (bearer != null) {
      return new Token(bearer);
    }
    String[] basic = basic(authorization);
    if (basic != null && !basic[1].isEmpty()) {
      return looksLikeJwt(basic[1]) ? new Token(basic[1]) : new ClientSecret(basic[0], basic[1]);
    }
    for (String name : new String[] {JWT, Credentials.ACCESS_TOKEN}) {
      String t = url.parameter(name);
      if (t != null && !t.isEmpty()) {
        return new Token(t);
      }
    }
    return new None();
  }

  /** Three dot-separated base64url parts: a JWS (a client secret has no dots). */
  static boolean looksLikeJwt(String s) {
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        dots++;
      } else if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
        return false;
      }
    }
    return dots == 2;
  }

  /** User name and password of a Basic Authorization header (RFC 7617), or null. */
  static String[] basic(String authorization) {
    if (authorization == null
        || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0
        ? null
        : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }
}
