package io.camflow.delivery.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.keycloak.admin.Action;
import io.camflow.keycloak.admin.CameraAccessList;
import io.camflow.keycloak.admin.Grants;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The permission calls' checks and answer shape, without Keycloak (auth off, no admin client: a
 * call that passes every check is the 503 of the missing admin client). Against the real realm:
 * AuthIT.
 */
class ApiRequestsTest {

  private final ApiRequests api =
      new ApiRequests(new Access(AuthSettings.off(), null, null, Runnable::run), null, r -> {});

  @Test
  void theAccessListHasUsersAndGroupsForEveryAction() throws Exception {
    CameraAccessList list =
        new CameraAccessList(
            "garage",
            new Grants(List.of("vera"), List.of("camera-garage-live")),
            new Grants(List.of(), List.of("camera-garage-dvr")),
            new Grants(List.of("encoder-1"), List.of("camera-garage-publish")));
    JsonNode json = JsonReplies.MAPPER.valueToTree(ApiRequests.accessList(list));
    assertEquals(
        JsonReplies.MAPPER.readTree(
            """
            {"camera": "garage",
             "live": {"users": ["vera"], "groups": ["camera-garage-live"]},
             "dvr": {"users": [], "groups": ["camera-garage-dvr"]},
             "publish": {"users": ["encoder-1"], "groups": ["camera-garage-publish"]}}
            """),
        json);
    assertEquals(List.of("camera", "live", "dvr", "publish"), fieldNames(json));
  }

  @Test
  void publishIsGrantedAndRevokedLikeLiveAndDvr() throws Exception {
    for (Action a : Action.values()) {
      for (String kind : List.of("users", "groups")) {
        for (String method : List.of("PUT", "DELETE")) {
          String path = "/api/v1/cameras/garage/access/" + a.id() + "/" + kind + "/encoder-1";
          Reply r = call(method, path);
          assertEquals(503, r.status(), method + " " + path + ": " + body(r));
          assertTrue(body(r).contains("CAMFLOW_KEYCLOAK_CLIENT_SECRET"), body(r));
        }
      }
    }
    assertEquals(405, call("POST", "/api/v1/cameras/garage/access/publish/users/e").status());
  }

  @Test
  void anythingElseIsNoActionAndTheAnswerSaysWhichAreOnes() throws Exception {
    for (String action : List.of("record", "Publish", "announce", "watch")) {
      Reply r = call("PUT", "/api/v1/cameras/garage/access/" + action + "/users/encoder-1");
      assertEquals(400, r.status(), action);
      assertEquals(
          ApiRequests.ACTION_ERROR,
          JsonReplies.MAPPER.readTree(body(r)).get("error").asText(),
          action);
    }
    for (Action a : Action.values()) {
      assertTrue(ApiRequests.ACTION_ERROR.contains(a.id()), a.id());
    }
  }

  /** The OpenAPI description lists every action, as a path parameter and in the access list. */
  @Test
  void theOpenApiDocumentDescribesEveryAction() throws Exception {
    JsonNode doc = JsonReplies.MAPPER.readTree(body(call("GET", "/api/v1/openapi.json")));
    List<String> ids = Arrays.stream(Action.values()).map(Action::id).toList();
    List<String> enumerated = new ArrayList<>();
    doc.at("/components/parameters/Action/schema/enum").forEach(n -> enumerated.add(n.asText()));
    assertEquals(ids, enumerated);
    List<String> listed = fieldNames(doc.at("/components/schemas/AccessList/properties"));
    assertEquals("camera", listed.getFirst());
    assertEquals(ids, listed.subList(1, listed.size()));
  }

  private Reply call(String method, String path) {
    AtomicReference<Reply> reply = new AtomicReference<>();
    api.handle(method, new Request(path, "127.0.0.1", true, null), reply::set);
    return reply.get();
  }

  private static String body(Reply r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.body().forEach(out::writeBytes);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<String> fieldNames(JsonNode json) {
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void theRtspUrlTakesTheHostTheCallerAskedAndTheRtspPort() {
    assertEquals("rtsp://cam.lan:8554", ApiRequests.rtspBase("cam.lan:8080", 8554));
    assertEquals("rtsp://cam.lan:8554", ApiRequests.rtspBase("cam.lan", 8554));
    assertEquals("rtsp://192.168.1.20:9554", ApiRequests.rtspBase("192.168.1.20:8443", 9554));
    assertEquals("rtsp://[fe80::1]:8554", ApiRequests.rtspBase("[fe80::1]:8080", 8554));
    assertEquals(null, ApiRequests.rtspBase("cam.lan:8080", -1), "RTSP off");
    assertEquals(null, ApiRequests.rtspBase(null, 8554), "no Host");
    assertEquals(null, ApiRequests.rtspBase("evil\"/><x", 8554), "not a host");
  }
}
