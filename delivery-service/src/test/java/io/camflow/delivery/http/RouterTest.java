package io.camflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.auth.TrustedProxies;
import io.camflow.delivery.door.ChannelDoor;
import io.camflow.delivery.door.Door;
import io.camflow.delivery.door.Reply;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class RouterTest {

  final Door live = (request, answer) -> answer.accept(Reply.text(200, "live"));
  final Door api = (request, answer) -> answer.accept(Reply.text(200, "api"));
  final Door refused = (request, answer) -> answer.accept(Reply.text(405, "no"));
  final ChannelDoor upgrade = (ctx, request, refusal) -> {};
  final Router router =
      new Router(TrustedProxies.NONE)
          .upgrade("mse", r -> r.headers().contains("Upgrade"), upgrade)
          .get("live", p -> p.startsWith("/live/"), live)
          .when("method not allowed", Router::unknownMethod, refused)
          .any("api", p -> p.startsWith("/api/v1/"), api);

  static HttpRequest request(HttpMethod method, String uri) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
  }

  @Test
  void theFirstMatchingRouteWins() {
    HttpRequest ws = request(HttpMethod.GET, "/live/cam/main/mse");
    ws.headers().set("Upgrade", "websocket");
    assertSame(upgrade, router.route(ws).door());
    assertSame(live, router.route(request(HttpMethod.GET, "/live/cam/main/mse")).door());
    assertSame(
        live, router.route(request(HttpMethod.GET, "/live/cam/main/index.m3u8?_HLS_msn=3")).door());
  }

  @Test
  void theHotPathIsAnsweredOnTheHeadTheRestWhole() {
    assertFalse(router.route(request(HttpMethod.GET, "/live/cam/main/part-1.0.m4s")).whole());
    assertTrue(router.route(request(HttpMethod.POST, "/api/v1/cameras")).whole());
    assertTrue(
        router.route(request(HttpMethod.POST, "/live/cam/main/index.m3u8")).whole(),
        "not a GET: not the hot path");
  }

  @Test
  void otherMethodsAndPathsFallThrough() {
    assertSame(refused, router.route(request(HttpMethod.PATCH, "/api/v1/cameras")).door());
    Router.Route none = router.route(request(HttpMethod.GET, "/nosuch"));
    assertEquals("not found", none.name());
    assertTrue(none.whole());
    assertEquals(4, router.routes().size());
  }
}
