package io.camflow.delivery.rtsp;

import io.camflow.media.StreamKey;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request URI of camflow's RTSP server: {@code rtsp://host:port/<camera>/<stream>}, optionally
 * with a trailing slash, a track's control ({@code /trackID=<n>}, the control URLs camflow's
 * descriptions give; a publisher's own, such as FFmpeg's {@code /streamid=<n>}) and a query ({@code
 * ?jwt=…}, {@code ?access_token=…}). Nothing else names a stream.
 *
 * @param base {@code rtsp://host:port} as the client wrote it, for the control URLs it is given
 * @param key the stream
 * @param control the last segment when it names a track ({@code <name>=<n>}), null for the whole
 *     presentation
 * @param query the decoded query parameters
 */
record RtspUrl(String base, StreamKey key, String control, Map<String, List<String>> query) {

  /** A control segment: a short name, {@code =}, a number below 100. */
  private static final java.util.regex.Pattern CONTROL =
      java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,15}=[0-9]{1,2}");

  /**
   * The track of camflow's own control URLs ({@code trackID=<n>}), -1 for the whole presentation or
   * another control.
   */
  int track() {
    return control != null && control.startsWith(TRACK)
        ? Integer.parseInt(control.substring(TRACK.length()))
        : -1;
  }

  static final String TRACK = "trackID=";

  /** The stream's URL, no query: the description's Content-Base (with a slash at the end). */
  String presentation() {
    return base + "/" + key.camera() + "/" + key.stream() + "/";
  }

  /** The control URL of a track. */
  String control(int n) {
    return presentation() + TRACK + n;
  }

  /** The first value of a query parameter, or null. */
  String parameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The URI without its query (for logs: a query may carry a token). */
  static String withoutQuery(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q) + "?…";
  }

  /** The URL, or empty if it names no stream this server could have. */
  static Optional<RtspUrl> parse(String uri) {
    int scheme =
        uri.regionMatches(true, 0, "rtsp://", 0, 7)
            ? 7
            : uri.regionMatches(true, 0, "rtsps://", 0, 8) ? 8 : -1;
    int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme);
    if (slash < 0 || uri.substring(0, slash).indexOf('?') >= 0) {
      return Optional.empty();
    }
    String authority = uri.substring(scheme, slash);
    // credentials in the URL never come back in a control URL
    String base = uri.substring(0, scheme) + authority.substring(authority.lastIndexOf('@') + 1);
    String rest = uri.substring(slash + 1);
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    Map<String, List<String>> query;
    try {
      query = q < 0 ? Map.of() : new QueryStringDecoder(rest.substring(q)).parameters();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String[] parts = path.split("/", -1);
    int n = parts.length;
    if (n > 2 && parts[n - 1].isEmpty()) {
      n--; // a trailing slash
    }
    String control = null;
    if (n == 3 && CONTROL.matcher(parts[2]).matches()) {
      control = parts[2];
      n = parts.length != 3 ? -1 : 2;
    }
    if (n != 2 || !StreamKey.isValidPart(parts[0]) || !StreamKey.isValidPart(parts[1])) {
      return Optional.empty();
    }
    return Optional.of(new RtspUrl(base, new StreamKey(parts[0], parts[1]), control, query));
  }
}
