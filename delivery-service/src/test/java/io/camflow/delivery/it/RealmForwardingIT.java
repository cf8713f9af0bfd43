package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.http.TlsSettings;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.keycloak.LocalKeycloak;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The realm's pages through delivery's own ports, against the real local Keycloak (on loopback): a
 * browser on another machine reaches the login at the address it watches on. Requests carry the
 * Host header a browser would send for a LAN name or address ({@code camflow.lan}, {@code
 * 192.168.1.20}) while the TCP connection goes to loopback: Keycloak's pages, redirects and the
 * tokens' {@code iss} name that address, a whole login (form, cookies, code, token) works over
 * HTTPS, delivery accepts the token it yields, and nothing of Keycloak but the camflow realm and
 * its static files is reachable.
 */
class RealmForwardingIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final LocalKeycloak KC = LocalKeycloak.shared();
  static final ObjectMapper JSON = new ObjectMapper();
  static CamelContext ctx;
  static DeliveryService service;
  static int httpPort;
  static int httpsPort;
  static SSLContext trustAll;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0);
        ServerSocket t = new ServerSocket(0)) {
      httpPort = s.getLocalPort();
      httpsPort = t.getLocalPort();
    }
    service =
        new DeliveryService(
                DeliverySettings.defaults(KAFKA.bootstrapServers()),
                httpPort,
                CorsPolicy.none(),
                AuthSettings.keycloak(KC.issuer()),
                null,
                ROUTES)
            .tls(
                new TlsSettings(
                    httpsPort,
                    null,
                    null,
                    Files.createTempDirectory("camflow-realm-it").resolve("tls")));
    ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    trustAll =
        SSLContext.getInstance("TLS"); // the test looks at what comes back, not at the certificate
    trustAll.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        new SecureRandom());
  }

  @AfterAll
  static void stop() {
    if (ctx != null) {
      ctx.stop();
    }
    if (service != null) {
      service.close();
    }
  }

  static String lanHttps() {
    return "camflow.lan:" + httpsPort;
  }

  @Test
  void theRealmsAddressesNameTheAddressTheBrowserUsed() throws Exception {
    Answer https =
        send(
            true,
            "GET",
            "/realms/camflow/.well-known/openid-configuration",
            lanHttps(),
            List.of(),
            null);
    assertEquals(200, https.status, https.text());
    JsonNode d = JSON.readTree(https.body);
    assertEquals("https://" + lanHttps() + "/realms/camflow", d.get("issuer").asText());
    assertEquals(
        "https://" + lanHttps() + "/realms/camflow/protocol/openid-connect/token",
        d.get("token_endpoint").asText());

    Answer http =
        send(
            false,
            "GET",
            "/realms/camflow/.well-known/openid-configuration",
            "192.168.1.20:" + httpPort,
            List.of(),
            null);
    assertEquals(200, http.status, http.text());
    assertEquals(
        "http://192.168.1.20:" + httpPort + "/realms/camflow",
        JSON.readTree(http.body).get("issuer").asText());
  }

  @Test
  void nothingButTheCamflowRealmAndItsFilesIsForwarded() throws Exception {
    for (String path :
        List.of(
            "/admin/",
            "/admin/master/console/",
            "/admin/realms/camflow/users",
            "/realms/master/.well-known/openid-configuration",
            "/realms/master/protocol/openid-connect/token",
            "/realms/camflow/../master/.well-known/openid-configuration",
            "/realms/camflow/%2e%2e/master/.well-known/openid-configuration",
            "/realms/camflow/..%2fmaster/.well-known/openid-configuration",
            "/resources/../admin/",
            "/realms/camflow//../master/",
            "/realms/camflowx/.well-known/openid-configuration")) {
      Answer a = send(true, "GET", path, lanHttps(), List.of(), null);
      assertTrue(
          a.status == 400 || a.status == 401 || a.status == 404,
          path + " -> " + a.status + " " + a.text());
      assertFalse(
          a.text().toLowerCase(Locale.ROOT).contains("\"realm\":\"master\"")
              || a.text().contains("/realms/master"),
          path + " reached Keycloak: " + a.text());
    }
    Answer put = send(true, "PUT", "/realms/camflow/account", lanHttps(), List.of(), "{}");
    assertEquals(405, put.status, put.text());
    Answer noHost =
        send(
            true, "GET", "/realms/camflow/.well-known/openid-configuration", null, List.of(), null);
    assertEquals(400, noHost.status, noHost.text());
  }

  /**
   * What a browser does: the login page, its form with the cookies it set, back with a code, the
   * token.
   */
  @Test
  void aWholeLoginThroughDeliveryYieldsATokenDeliveryAccepts() throws Exception {
    String redirect = "https://" + lanHttps() + "/";
    String verifier = base64url(new byte[32]) + "-verifier-of-this-test";
    String challenge =
        base64url(
            MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String auth =
        "/realms/camflow/protocol/openid-connect/auth?"
            + form(
                Map.of(
                    "client_id",
                    "camflow-web",
                    "redirect_uri",
                    redirect,
                    "response_type",
                    "code",
                    "scope",
                    "openid",
                    "state",
                    "s1",
                    "code_challenge",
                    challenge,
                    "code_challenge_method",
                    "S256"));
    Answer page = send(true, "GET", auth, lanHttps(), List.of(), null);
    assertEquals(200, page.status, page.text());
    List<String> cookies = page.headers("set-cookie");
    assertTrue(cookies.size() >= 2, "Keycloak's cookies, every one passed back: " + cookies);
    assertTrue(
        cookies.stream().allMatch(c -> c.toLowerCase(Locale.ROOT).contains("secure")),
        "cookies for an HTTPS origin: " + cookies);
    Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(page.text());
    assertTrue(action.find(), "a login form");
    String post = action.group(1).replace("&amp;", "&");
    assertTrue(post.startsWith("https://" + lanHttps() + "/realms/camflow/login-actions/"), post);
    // the static files of the page come the same way
    Matcher css = Pattern.compile("href=\"(/resources/[^\"]+\\.css)\"").matcher(page.text());
    assertTrue(css.find(), "the page links Keycloak's styles");
    assertEquals(200, send(true, "GET", css.group(1), lanHttps(), List.of(), null).status);

    List<String> jar = cookies.stream().map(c -> c.substring(0, c.indexOf(';'))).toList();
    Answer loggedIn =
        send(
            true,
            "POST",
            post.substring(("https://" + lanHttps()).length()),
            lanHttps(),
            List.of(
                "Cookie: " + String.join("; ", jar),
                "Content-Type: application/x-www-form-urlencoded",
                "Origin: https://" + lanHttps()),
            form(Map.of("username", "viewer", "password", "viewer", "credentialId", "")));
    assertEquals(302, loggedIn.status, loggedIn.text());
    String location = loggedIn.headers("location").get(0);
    assertTrue(
        location.startsWith(redirect + "?"),
        "back to the page at the address it used: " + location);
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
    assertTrue(code.find(), location);

    Answer token =
        send(
            true,
            "POST",
            "/realms/camflow/protocol/openid-connect/token",
            lanHttps(),
            List.of(
                "Content-Type: application/x-www-form-urlencoded", "Origin: https://" + lanHttps()),
            form(
                Map.of(
                    "grant_type",
                    "authorization_code",
                    "client_id",
                    "camflow-web",
                    "redirect_uri",
                    redirect,
                    "code",
                    code.group(1),
                    "code_verifier",
                    verifier)));
    assertEquals(200, token.status, token.text());
    String access = JSON.readTree(token.body).get("access_token").asText();
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(access.split("\\.")[1]));
    assertEquals("https://" + lanHttps() + "/realms/camflow", claims.get("iss").asText());

    Answer me =
        send(
            true,
            "GET",
            "/api/v1/me",
            lanHttps(),
            List.of("Authorization: Bearer " + access),
            null);
    assertEquals(
        200, me.status, "delivery accepts the token its forwarded realm issued: " + me.text());
    assertEquals("viewer", JSON.readTree(me.body).get("user").asText(), me.text());
  }

  @Test
  void aRedirectToAnotherOriginIsRefused() throws Exception {
    String auth =
        "/realms/camflow/protocol/openid-connect/auth?"
            + form(
                Map.of(
                    "client_id",
                    "camflow-web",
                    "redirect_uri",
                    "https://evil.example/",
                    "response_type",
                    "code",
                    "scope",
                    "openid",
                    "code_challenge",
                    base64url(new byte[32]),
                    "code_challenge_method",
                    "S256"));
    Answer page = send(true, "GET", auth, lanHttps(), List.of(), null);
    assertEquals(400, page.status, "no login form for a foreign redirect: " + page.text());
    assertFalse(page.text().contains("kc-login"), page.text());
  }

  // ---- a raw HTTP/1.1 client: the Host header is the browser's, the connection goes to loopback
  // ----

  record Answer(int status, List<String[]> headerLines, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    List<String> headers(String name) {
      return headerLines.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
    }
  }

  static Answer send(
      boolean tls, String method, String target, String host, List<String> headers, String body)
      throws Exception {
    int port = tls ? httpsPort : httpPort;
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
    if (host != null) {
      request.append("Host: ").append(host).append("\r\n");
    }
    headers.forEach(h -> request.append(h).append("\r\n"));
    request
        .append("Content-Length: ")
        .append(content.length)
        .append("\r\nConnection: close\r\n\r\n");
    try (Socket socket =
        tls
            ? trustAll.getSocketFactory().createSocket("127.0.0.1", port)
            : new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      return parse(socket.getInputStream().readAllBytes());
    }
  }

  static Answer parse(byte[] raw) {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.add(
          new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(raw, end + 4, raw.length - end - 4);
    return new Answer(status, headers, b.toByteArray());
  }

  static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError(
        "no end of headers in " + new String(data, StandardCharsets.ISO_8859_1));
  }

  static String form(Map<String, String> fields) {
    return String.join(
        "&",
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .toList());
  }

  static String base64url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
