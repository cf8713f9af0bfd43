package io.camflow.delivery.http;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which web origins other than delivery's own may call it from a browser (CAMFLOW_CORS_ORIGINS). An
 * allowed Origin is echoed back with {@code Vary: Origin}; {@code *} allows any origin. Delivery
 * never sends {@code Access-Control-Allow-Credentials}: callers authenticate with a bearer token,
 * not cookies, so no origin ever gets a credentialed cross-origin response. Empty (the default): no
 * CORS headers, only pages served by delivery itself (the web viewer) can read its answers.
 */
public final class CorsPolicy {

  public static final String METHODS = "GET, POST, PUT, DELETE, OPTIONS";
  public static final String HEADERS = "Authorization, Content-Type, Range";

  private final boolean any;
  private final Set<String> origins;

  private CorsPolicy(boolean any, Set<String> origins) {
    this.any = any;
    this.origins = origins;
  }

  public static CorsPolicy none() {
    return new CorsPolicy(false, Set.of());
  }

  public static CorsPolicy anyOrigin() {
    return new CorsPolicy(true, Set.of());
  }

  /**
   * Parses a comma-separated list of origins ({@code
   * https://nvr.example.com,http://localhost:3000}) or {@code *}.
   *
   * @throws IllegalArgumentException naming the entry that is not an origin
   */
  public static CorsPolicy parse(String list) {
    if (list == null || list.isBlank()) {
      return none();
    }
    List<String> entries = List.of(list.split(","));
    if (entries.stream().map(String::trim).anyMatch("*"::equals)) {
      if (entries.size() > 1) {
        throw new IllegalArgumentException(
            "CAMFLOW_CORS_ORIGINS: '*' cannot be combined with other origins");
      }
      return anyOrigin();
    }
    return new CorsPolicy(
        false,
        entries.stream()
            .map(String::trim)
            .filter(e -> !e.isEmpty())
            .map(CorsPolicy::origin)
            .collect(Collectors.toUnmodifiableSet()));
  }

  private static String origin(String entry) {
    URI u;
    try {
      u = URI.create(entry);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CAMFLOW_CORS_ORIGINS: '" + entry + "' is not an origin");
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
        || u.getHost() == null
        || (u.getPath() != null && !u.getPath().isEmpty())
        || u.getQuery() != null
        || u.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "CAMFLOW_CORS_ORIGINS: '" + entry + "' is not an origin (scheme://host[:port], no path)");
    }
    return entry.toLowerCase(Locale.ROOT);
  }

  /** The Access-Control-Allow-Origin value for a request from {@code origin}, or null for none. */
  public String allowOrigin(String origin) {
    if (origin == null || origin.isEmpty()) {
      return null;
    }
    if (any) {
      return "*";
    }
    return origins.contains(origin.toLowerCase(Locale.ROOT)) ? origin : null;
  }

  /** Whether answers depend on the Origin (then they carry Vary: Origin). */
  public boolean variesByOrigin() {
    return !any && !origins.isEmpty();
  }

  @Override
  public String toString() {
    return any ? "*" : origins.isEmpty() ? "none" : String.join(",", origins);
  }
}
