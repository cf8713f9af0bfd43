package io.camflow.delivery.realm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealmProxyTest {

  static final RealmForwarding LOCAL =
      RealmForwarding.of(
          URI.create("http://localhost:8180/realms/camflow"),
          URI.create("http://localhost:8180/realms/camflow/protocol/openid-connect/certs"));

  static RealmProxy.Asked asked(String method, String uri, String host, int bodyBytes) {
    return new RealmProxy.Asked(
        method, uri, host, true, "192.168.1.7", Map.of(), new byte[bodyBytes]);
  }

  @Test
  void keycloaksAddressIsWhereTheKeysAreAndTheBrowserPathIsTheIssuers() {
    assertEquals(URI.create("http://localhost:8180"), LOCAL.target());
    assertEquals("/realms/camflow", LOCAL.realmPath());
    assertEquals("/resources/", LOCAL.resourcesPath());
    // compose: the issuer is what browsers see, the keys come from the container network; a
    // relative path kept
    RealmForwarding prefixed =
        RealmForwarding.of(
            URI.create("https://nvr.example/auth/realms/home"),
            URI.create("http://keycloak:8080/auth/realms/home/protocol/openid-connect/certs"));
    assertEquals(URI.create("http://keycloak:8080/auth"), prefixed.target());
    assertEquals("/auth/realms/home", prefixed.realmPath());
    assertEquals("/auth/resources/", prefixed.resourcesPath());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RealmForwarding.of(
                URI.create("http://kc/realms/x"), URI.create("http://kc/keys.json")));
  }

  @Test
  void theSwitchIsReadAndCheckedAndOffWithoutAuth() {
    URI issuer = URI.create("http://localhost:8180/realms/camflow");
    URI keys = URI.create("http://localhost:8180/realms/camflow/protocol/openid-connect/certs");
    assertTrue(
        RealmForwarding.from(io.camflow.options.Settings.fromEnvironment(Map.of()), issuer, keys)
            .enabled());
    assertFalse(
        RealmForwarding.from(
                io.camflow.options.Settings.fromEnvironment(
                    Map.of("CAMFLOW_REALM_FORWARDING", "off")),
                issuer,
                keys)
            .enabled());
    assertFalse(
        RealmForwarding.from(io.camflow.options.Settings.fromEnvironment(Map.of()), null, null)
            .enabled());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RealmForwarding.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of("CAMFLOW_REALM_FORWARDING", "maybe")),
                    issuer,
                    keys));
    assertTrue(e.getMessage().contains("CAMFLOW_REALM_FORWARDING"), e.getMessage());
  }

  @Test
  void onlyTheRealmAndTheStaticFilesAreServed() {
    try (RealmProxy proxy = new RealmProxy(LOCAL)) {
      for (String yes :
          List.of(
              "/realms/camflow",
              "/realms/camflow/protocol/openid-connect/auth",
              "/realms/camflow/login-actions/authenticate",
              "/resources/abc12/login/keycloak.v2/css/styles.css")) {
        assertTrue(proxy.serves(yes), yes);
      }
      for (String no :
          List.of(
              "/",
              "/realms/master/protocol/openid-connect/token",
              "/realms/camflowx/",
              "/admin/",
              "/admin/realms/camflow/users",
              "/resources",
              "/live/demo/main/index.m3u8",
              "/api/v1/me")) {
        assertFalse(proxy.serves(no), no);
      }
    }
  }

  @Test
  void pathsThatCouldMeanAnotherPlaceAreRefusedBeforeKeycloak() {
    for (String path :
        List.of(
            "/realms/camflow/../master/x",
            "/realms/camflow/./x",
            "/realms/camflow/..",
            "/realms/camflow/%2e%2e/master",
            "/realms/camflow/%2E%2e/master",
            "/realms/camflow/..%2Fmaster",
            "/realms/camflow/x%5c..%5cy",
            "/realms/camflow//admin",
            "/resources/..\\admin",
            "/realms/camflow/%00")) {
      RealmProxy.Answer a = RealmProxy.check(asked("GET", path + "?a=b", "camflow.lan", 0));
      assertEquals(400, a == null ? 0 : a.status(), path);
    }
    assertNull(
        RealmProxy.check(
            asked(
                "GET",
                "/realms/camflow/protocol/openid-connect/auth?redirect_uri=https%3A%2F%2Fx%2F",
                "camflow.lan:8443",
                0)),
        "encoded characters in the query are the query's business");
    assertNull(
        RealmProxy.check(
            asked("POST", "/realms/camflow/login-actions/authenticate", "[fd00::7]:8443", 100)));
  }

  @Test
  void methodsHostsAndBodiesAreBounded() {
    assertEquals(
        405, RealmProxy.check(asked("PUT", "/realms/camflow/account", "camflow.lan", 0)).status());
    assertEquals(
        405,
        RealmProxy.check(asked("DELETE", "/realms/camflow/account", "camflow.lan", 0)).status());
    for (String host :
        new String[] {
          null, "", "camflow.lan:99999", "a b", "camflow.lan\r\nX-Evil: 1", "user@host"
        }) {
      assertEquals(
          400,
          RealmProxy.check(asked("GET", "/realms/camflow", host, 0)).status(),
          String.valueOf(host));
    }
    assertEquals(
        413,
        RealmProxy.check(
                asked(
                    "POST",
                    "/realms/camflow/protocol/openid-connect/token",
                    "camflow.lan",
                    RealmProxy.MAX_REQUEST_BYTES + 1))
            .status());
    assertEquals(8443, RealmProxy.port("camflow.lan:8443", true));
    assertEquals(443, RealmProxy.port("camflow.lan", true));
    assertEquals(80, RealmProxy.port("[fd00::7]", false));
    assertEquals(8080, RealmProxy.port("[fd00::7]:8080", false));
  }

  @Test
  void anUnreachableKeycloakIsA502AndReleasesItsPlace() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    RealmForwarding nowhere =
        RealmForwarding.of(
            URI.create("http://localhost:" + closed + "/realms/camflow"),
            URI.create(
                "http://localhost:" + closed + "/realms/camflow/protocol/openid-connect/certs"));
    try (RealmProxy proxy = new RealmProxy(nowhere)) {
      java.util.concurrent.CompletableFuture<RealmProxy.Answer> done =
          new java.util.concurrent.CompletableFuture<>();
      proxy.forward(asked("GET", "/realms/camflow", "camflow.lan", 0), done::complete);
      RealmProxy.Answer a = done.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(502, a.status());
      assertFalse(
          new String(a.body()).contains(Integer.toString(closed)),
          "no internal address in the answer");
      assertEquals(0, proxy.inFlight());
    }
  }
}
