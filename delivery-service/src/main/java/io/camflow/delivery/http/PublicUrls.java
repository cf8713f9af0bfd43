package io.camflow.delivery.http;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The addresses users open camflow at ({@code CAMFLOW_PUBLIC_URL}: comma-separated origins such as
 * {@code https://nvr.home.arpa:8443}), when the operator names them. Empty (the default): they are
 * what each request says (its {@code Host}), which is what a home server reached by IP or by a
 * local name needs. Named, they are the only origins whose tokens delivery accepts besides the
 * configured issuer, and their hosts are announced as WebRTC host candidates.
 *
 * @param origins {@code scheme://host[:port]}, http or https, no path
 */
public record PublicUrls(List<URI> origins) {

  public static final PublicUrls FROM_REQUEST = new PublicUrls(List.of());

  public PublicUrls {
    origins = List.copyOf(origins);
  }

  /**
   * @throws IllegalArgumentException naming the variable and the entry that is wrong
   */
  public static PublicUrls from(Settings settings) {
    return parse(settings.find(CamflowOptions.PUBLIC_URL).orElse(""));
  }

  static PublicUrls parse(String text) {
    List<URI> origins = new ArrayList<>();
    for (String entry : text.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      URI u;
      try {
        u = new URI(e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
      } catch (URISyntaxException ex) {
        throw new IllegalArgumentException("CAMFLOW_PUBLIC_URL: '" + e + "' is not a URL");
      }
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https"))
          || u.getHost() == null
          || u.getRawUserInfo() != null
          || !(u.getRawPath() == null || u.getRawPath().isEmpty())
          || u.getRawQuery() != null
          || u.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "CAMFLOW_PUBLIC_URL: '"
                + e
                + "' must be an origin, http(s)://host[:port] with no path, e.g. https://nvr.home.arpa:8443");
      }
      origins.add(u);
    }
    return new PublicUrls(origins);
  }

  public boolean fromRequest() {
    return origins.isEmpty();
  }

  /** The origins as text ({@code https://nvr.home.arpa:8443}). */
  public List<String> texts() {
    return origins.stream().map(URI::toString).toList();
  }

  /** The host names or addresses of the origins, once each (WebRTC host candidates). */
  public List<String> hosts() {
    return origins.stream()
        .map(URI::getHost)
        .map(h -> h.startsWith("[") ? h.substring(1, h.length() - 1) : h)
        .distinct()
        .toList();
  }
}
