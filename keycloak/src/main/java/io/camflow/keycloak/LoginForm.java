package io.camflow.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Signs in through the realm's login page as the web viewer does — authorization code with PKCE
 * (S256) for {@code camflow-web} — for tests and scripts where the password grant is off ({@code
 * ./camflow up} without {@code --demo}, compose; docs/operations.md "Secrets"). No browser: the
 * login form is read and posted.
 */
public final class LoginForm {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FORM_ACTION =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
  private static final Pattern ACTION_FIRST =
      Pattern.compile("<form[^>]*action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"");

  private LoginForm() {}

  /**
   * An access token of {@code username}, or empty when the login page refuses the password.
   *
   * @param issuer the realm where it is asked: Keycloak's own address ({@code
   *     http://localhost:8180/realms/camflow}) or delivery's, which forwards the realm ({@code
   *     http://localhost:8080/realms/camflow})
   * @param redirectUri an address at the issuer's origin ({@code camflow-web}'s redirect URIs are
   *     relative: {@code /*} at the origin the login is asked at); never called
   * @throws IllegalStateException when Keycloak is unreachable or answers unexpectedly (the message
   *     has the step and the HTTP status, never the password or a token)
   */
  public static Optional<String> accessToken(
      URI issuer, URI redirectUri, String username, String password) {
    // cookies by hand: Keycloak's session cookies are Secure, which java.net.CookieManager never
    // sends over
    // http, while browsers do to localhost
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    URI auth =
        URI.create(
            issuer
                + "/protocol/openid-connect/auth?"
                + form(
                    Map.of(
                        "client_id",
                        RealmSecrets.WEB_CLIENT,
                        "redirect_uri",
                        redirectUri.toString(),
                        "response_type",
                        "code",
                        "scope",
                        "openid",
                        "code_challenge",
                        challenge(verifier),
                        "code_challenge_method",
                        "S256")));
    HttpResponse<String> page = send(http, HttpRequest.newBuilder(auth).GET(), "login page");
    Matcher m = FORM_ACTION.matcher(page.body());
    if (!m.find()) {
      m = ACTION_FIRST.matcher(page.body());
      if (!m.find()) {
        throw new IllegalStateException(
            "login page of " + issuer + ": HTTP " + page.statusCode() + " without a login form");
      }
    }
    URI action = URI.create(m.group(1).replace("&amp;", "&"));
    String cookies =
        page.headers().allValues("Set-Cookie").stream()
            .map(c -> c.split(";", 2)[0])
            .collect(Collectors.joining("; "));
    HttpRequest.Builder login = HttpRequest.newBuilder(action);
    if (!cookies.isEmpty()) {
      login.header("Cookie", cookies);
    }
    HttpResponse<String> posted =
        send(
            http,
            login
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form(
                            Map.of(
                                "username", username, "password", password, "credentialId", "")))),
            "login");
    String location = posted.headers().firstValue("Location").orElse("");
    if (posted.statusCode() != 302 || !location.startsWith(redirectUri.toString())) {
      return Optional.empty(); // the form again, with "Invalid username or password"
    }
    Matcher code = Pattern.compile("[?&]code=([^&#]+)").matcher(location);
    if (!code.find()) {
      throw new IllegalStateException("login at " + issuer + " redirected without a code");
    }
    HttpResponse<String> token =
        send(
            http,
            HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form(
                            Map.of(
                                "grant_type",
                                "authorization_code",
                                "client_id",
                                RealmSecrets.WEB_CLIENT,
                                "redirect_uri",
                                redirectUri.toString(),
                                "code",
                                code.group(1),
                                "code_verifier",
                                verifier)))),
            "code exchange");
    JsonNode body;
    try {
      body = JSON.readTree(token.body());
    } catch (IOException e) {
      body = JSON.missingNode();
    }
    if (token.statusCode() != 200 || !body.path("access_token").isTextual()) {
      throw new IllegalStateException(
          "code exchange at " + issuer + ": HTTP " + token.statusCode());
    }
    return Optional.of(body.path("access_token").asText());
  }

  private static HttpResponse<String> send(
      HttpClient http, HttpRequest.Builder request, String step) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(step + " failed: " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(step + " interrupted", e);
    }
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> fields) {
    return new LinkedHashMap<>(fields)
        .entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
  }
}
