package io.camflow.keycloak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {

  private static final URI URL = URI.create("http://localhost:8180");
  private static final String SECRET = "s3cr3t-value";

  @Test
  void keepsValuesAndDropsATrailingSlash() {
    AdminSettings s =
        new AdminSettings(
            URI.create("http://localhost:8180/"), "camflow", "camflow-services", SECRET);
    assertEquals(URL, s.serverUrl());
    assertEquals("camflow", s.realm());
    assertEquals("camflow-services", s.clientId());
    assertEquals(SECRET, s.clientSecret());
    assertEquals(
        URI.create("https://sso.example.com/auth"),
        new AdminSettings(URI.create("https://sso.example.com/auth/"), "r", "c", SECRET)
            .serverUrl());
  }

  @Test
  void toStringHidesTheSecret() {
    String s = new AdminSettings(URL, "camflow", "camflow-services", SECRET).toString();
    assertFalse(s.contains(SECRET), s);
    assertTrue(
        s.contains("camflow-services") && s.contains("http://localhost:8180") && s.contains("***"),
        s);
  }

  @Test
  void rejectsMissingOrBlankFieldsByName() {
    assertMessage("serverUrl", () -> new AdminSettings(null, "camflow", "c", SECRET));
    assertMessage("realm", () -> new AdminSettings(URL, " ", "c", SECRET));
    assertMessage("realm", () -> new AdminSettings(URL, null, "c", SECRET));
    assertMessage("clientId", () -> new AdminSettings(URL, "camflow", "", SECRET));
    assertMessage("clientSecret", () -> new AdminSettings(URL, "camflow", "c", "\t"));
  }

  @Test
  void rejectsUrlsThatAreNotAbsoluteHttp() {
    assertMessage(
        "http", () -> new AdminSettings(URI.create("localhost:8180"), "camflow", "c", SECRET));
    assertMessage("http", () -> new AdminSettings(URI.create("/auth"), "camflow", "c", SECRET));
    assertMessage(
        "http", () -> new AdminSettings(URI.create("ftp://localhost"), "camflow", "c", SECRET));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new AdminSettings(
                    URI.create("http://admin:pw@localhost:8180"), "camflow", "c", SECRET));
    assertFalse(e.getMessage().contains("pw"), e.getMessage()); // user info is a credential too
  }

  private static void assertMessage(String part, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }
}
