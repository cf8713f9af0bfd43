package io.camflow.delivery.web;

import io.camflow.delivery.door.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web viewer's files: {@code /} (index.html), {@code /web/<file>} from the classpath folder
 * {@code io/camflow/delivery/web/} (hls.js included by the build), and {@code /web/config.json},
 * which tells the page the realm and client to log in with (at its own origin when delivery
 * forwards the realm's pages) and the HTTPS port. Public: the page holds no data; what it shows it
 * fetches with the user's token. Pages go out with a Content-Security-Policy that lets them talk to
 * delivery and the realm only, and no Referer.
 */
public final class WebFiles {

  private static final String ROOT = "io/camflow/delivery/web/";
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
  private static final Map<String, String> TYPES =
      Map.of(
          "html",
          "text/html; charset=utf-8",
          "js",
          "text/javascript; charset=utf-8",
          "css",
          "text/css; charset=utf-8",
          "json",
          "application/json",
          "svg",
          "image/svg+xml",
          "png",
          "image/png",
          "ico",
          "image/x-icon");

  /** The most files kept in memory: the viewer has a dozen, hls.js included. */
  static final int MAX_KEPT = 64;

  private final byte[] config;
  private final String contentSecurityPolicy;

  /** The files found so far, by name (at most {@link #MAX_KEPT}). */
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  /**
   * @param issuer the realm's issuer the page logs in with (null when auth is off)
   * @param clientId the realm's public client for the page
   * @param realmPath where this server forwards the realm's pages ({@code /realms/camflow}), so the
   *     page logs in at its own origin; null: at the issuer's address
   * @param httpsPort this server's HTTPS port, where a page loaded over plain HTTP from another
   *     machine (no Web Crypto there, so no login) sends its user; 0: none
   */
  public WebFiles(URI issuer, String clientId, String realmPath, int httpsPort) {
    String issuerJson = issuer == null ? "null" : "\"" + json(issuer.toString()) + "\"";
    String clientJson = clientId == null ? "null" : "\"" + json(clientId) + "\"";
    String realmJson = realmPath == null ? "null" : "\"" + json(realmPath) + "\"";
    this.config =
        ("{\"issuer\":"
                + issuerJson
                + ",\"clientId\":"
                + clientJson
                + ",\"realmPath\":"
                + realmJson
                + ",\"httpsPort\":"
                + (httpsPort > 0 ? Integer.toString(httpsPort) : "null")
                + "}\n")
            .getBytes(StandardCharsets.UTF_8);
    String realm =
        issuer == null || realmPath != null
            ? ""
            : " " + issuer.getScheme() + "://" + issuer.getRawAuthority();
    this.contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'"
            + realm
            + "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  }

  /** Whether a GET of this path is one of the viewer's files. */
  public static boolean serves(String path) {
    return path.equals("/") || path.equals("/index.html") || path.startsWith("/web/");
  }

  /** The reply to a GET of {@code path} (a path {@link #serves} accepts). */
  public Reply get(String path) {
    if (path.equals("/web/config.json")) {
      return new Reply(200, TYPES.get("json"), Reply.NO_CACHE, List.of(config));
    }
    String name =
        path.equals("/") || path.equals("/index.html")
            ? "index.html"
            : path.substring("/web/".length());
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      return Reply.text(404, "not found");
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    String type = TYPES.get(ext);
    if (type == null) {
      return Reply.text(404, "not found");
    }
    byte[] body = file(name);
    if (body == null) {
      return Reply.text(404, "not found");
    }
    Reply r =
        new Reply(200, type, Reply.NO_CACHE, List.of(body))
            .withHeader("Referrer-Policy", "no-referrer");
    if (ext.equals("html")) {
      r =
          r.withHeader("Content-Security-Policy", contentSecurityPolicy)
              .withHeader("X-Frame-Options", "DENY");
    }
    return r;
  }

  /** How many files are kept in memory now. */
  int kept() {
    return files.size();
  }

  /**
   * The file's bytes, or null if there is none. Files found are kept, up to {@link #MAX_KEPT} (the
   * viewer has a dozen); a name that is not there is looked up again each time and never
   * remembered, so asking for any number of missing names leaves nothing behind.
   */
  private byte[] file(String name) {
    byte[] kept = files.get(name);
    if (kept != null) {
      return kept;
    }
    byte[] loaded = load(name);
    if (loaded != null && files.size() < MAX_KEPT) {
      files.putIfAbsent(name, loaded);
    }
    return loaded;
  }

  private static byte[] load(String name) {
    try (InputStream in = WebFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
