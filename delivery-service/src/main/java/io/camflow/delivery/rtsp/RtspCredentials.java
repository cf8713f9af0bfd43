package io.camflow.delivery.rtsp;

import io.camflow.delivery.door.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where an RTSP request's access token is. RTSP clients (VLC, FFmpeg, GStreamer, NVRs) send
 * credentials as Basic ({@code rtsp://user:password@host/…}), so the token may be the password (any
 * user name), as MediaMTX takes it; a client that can set headers sends {@code Bearer}; a script
 * puts it in the URL as {@code ?jwt=} or {@code ?access_token=}. The header wins.
 */
final class RtspCredentials {

  static final String JWT = "jwt";

  private RtspCredentials() {}

  /** The token, or null if the request carries none. */
  static String token(String authorization, RtspUrl url) {
    String bearer = Credentials.bearer(authorization);
    if (bearer != null) {
      return bearer;
    }
    String password = basicPassword(authorization);
    if (password != null && !password.isEmpty()) {
      return password;
    }
    String jwt = url.parameter(JWT);
    if (jwt != null && !jwt.isEmpty()) {
      return jwt;
    }
    String token = url.parameter(Credentials.ACCESS_TOKEN);
    return token == null || token.isEmpty() ? null : token;
  }

  /** The password of a Basic Authorization header (RFC 7617), or null. */
  static String basicPassword(String authorization) {
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
    return colon < 0 ? null : decoded.substring(colon + 1);
  }
}
