package io.camflow.delivery.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuersTest {

  static final URI ISSUER = URI.create("http://localhost:8180/realms/camflow");

  @Test
  void exactlyTheConfiguredIssuerByDefault() {
    Issuers exact = Issuers.exactly(ISSUER);
    assertTrue(exact.accepts("http://localhost:8180/realms/camflow"));
    assertFalse(exact.accepts("https://camflow.lan:8443/realms/camflow"));
    assertFalse(exact.accepts(null));
  }

  @Test
  void withTheRealmForwardedTheRealmsPathAtAnyWebOrigin() {
    Issuers any = new Issuers(ISSUER, true, List.of());
    assertTrue(any.accepts("https://camflow.lan:8443/realms/camflow"));
    assertTrue(any.accepts("http://192.168.1.20:8080/realms/camflow"));
    assertTrue(any.accepts("https://[fd00::7]:8443/realms/camflow"));
    for (String no :
        List.of(
            "https://camflow.lan:8443/realms/other",
            "https://camflow.lan:8443/realms/camflow/",
            "https://camflow.lan:8443/x/realms/camflow",
            "ftp://camflow.lan/realms/camflow",
            "/realms/camflow",
            "https://user@camflow.lan/realms/camflow",
            "https://camflow.lan/realms/camflow?x=1",
            "https://camflow.lan/realms/camflow#x",
            "not a uri at all",
            "")) {
      assertFalse(any.accepts(no), no);
    }
  }

  @Test
  void namedPublicOriginsOnlyWhenTheOperatorGaveThem() {
    Issuers named =
        new Issuers(
            ISSUER, false, List.of("https://NVR.home.arpa:443", "http://192.168.1.20:8080"));
    assertTrue(
        named.accepts("https://nvr.home.arpa/realms/camflow"),
        "the default port is the same origin");
    assertTrue(named.accepts("http://192.168.1.20:8080/realms/camflow"));
    assertTrue(
        named.accepts("http://localhost:8180/realms/camflow"), "the configured issuer always");
    assertFalse(named.accepts("https://camflow.lan:8443/realms/camflow"));
    assertFalse(
        named.accepts("http://nvr.home.arpa/realms/camflow"), "another scheme is another origin");
  }
}
