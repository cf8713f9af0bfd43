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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Access tokens of the local realm for tests and scripts: the password grant of the public client
 * {@code camflow-web}, which the local realm allows and production realms must not
 * (docs/permissions.md).
 */
public final class Tokens {

  /** The public client whose password grant the local realm enables. */
  public static final String WEB_CLIENT = "camflow-web";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** OAuth error codes are short ASCII words; anything else from the body is not repeated. */
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,40}");

  private Tokens() {}

  /**
   * A fresh access token (compact JWS) of the user, with the roles they hold right now.
   *
   * @throws IllegalStateException when Keycloak is unreachable or refuses (the message has the HTTP
   *     status and the OAuth error code, never the password or a token)
   */
  public static String accessToken(LocalKeycloak kc, String username, String password) {
    URI endpoint = kc.tokenEndpoint();
    String failure = "password grant of user " + username + " at " + endpoint + " failed";
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", WEB_CLIENT);
    form.put("username", username);
    form.put("password", password);
    HttpResponse<String> response;
    try {
      response =
          HTTP.send(
              HttpRequest.newBuilder(endpoint)
                  .timeout(Duration.ofSeconds(20))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(formBody(form)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(failure + ": " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(failure + ": interrupted", e);
    }
    JsonNode body = parse(response.body());
    String token = body.path("access_token").asText("");
    if (response.statusCode() != 200 || token.isEmpty()) {
      String error = body.path("error").asText("");
      throw new IllegalStateException(
          failure
              + ": HTTP "
              + response.statusCode()
              + (ERROR_CODE.matcher(error).matches() ? " " + error : ""));
    }
    return token;
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static String formBody(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
