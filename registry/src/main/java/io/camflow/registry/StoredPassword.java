package io.camflow.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a camera password that camflow keeps may be sent: only to the place it was given for. A
 * change of a stream's URL to another scheme, host or port, or of its username, drops the stored
 * password; whoever changes it must give the password again. Otherwise anyone allowed to edit a
 * camera could point it at a host of theirs and receive the camera's password with the first RTSP
 * request (Basic auth sends it as it is).
 */
public final class StoredPassword {

  private StoredPassword() {}

  /** Whether {@code before}'s stored password may stay with the changed stream {@code after}. */
  public static boolean staysWith(StreamEntry before, StreamEntry after) {
    return Objects.equals(before.username(), after.username())
        && sameOrigin(before.url(), after.url());
  }

  /**
   * Same scheme, host and port (the default port of the scheme when none is written); false if
   * either does not parse or is absent (a published stream has no URL).
   */
  static boolean sameOrigin(String a, String b) {
    Origin x = Origin.of(a);
    Origin y = Origin.of(b);
    return x != null && x.equals(y);
  }

  private record Origin(String scheme, String host, int port) {
    static Origin of(String url) {
      if (url == null) {
        return null;
      }
      try {
        URI u = new URI(url);
        if (u.getScheme() == null || u.getHost() == null) {
          return null;
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port =
            u.getPort() >= 0
                ? u.getPort()
                : switch (scheme) {
                  case "rtsps" -> 322;
                  default -> 554;
                };
        return new Origin(scheme, u.getHost().toLowerCase(Locale.ROOT), port);
      } catch (URISyntaxException e) {
        return null;
      }
    }
  }
}
