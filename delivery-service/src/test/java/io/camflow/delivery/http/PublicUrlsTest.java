package io.camflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicUrlsTest {

  @Test
  void originsAreReadAndTheirHostsAreCandidates() {
    PublicUrls urls =
        PublicUrls.from(
            io.camflow.options.Settings.fromEnvironment(
                Map.of(
                    "CAMFLOW_PUBLIC_URL",
                    " https://nvr.home.arpa:8443/ , http://192.168.1.20:8080,https://[fd00::7]:8443")));
    assertEquals(
        List.of("https://nvr.home.arpa:8443", "http://192.168.1.20:8080", "https://[fd00::7]:8443"),
        urls.texts());
    assertEquals(List.of("nvr.home.arpa", "192.168.1.20", "fd00::7"), urls.hosts());
    assertTrue(
        PublicUrls.from(io.camflow.options.Settings.fromEnvironment(Map.of())).fromRequest());
  }

  @Test
  void anythingButAnOriginIsAClearError() {
    for (String bad :
        List.of(
            "nvr.home.arpa",
            "ftp://nvr",
            "https://nvr/camflow",
            "https://u:p@nvr",
            "https://nvr?x",
            "https://",
            "http://a b")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  PublicUrls.from(
                      io.camflow.options.Settings.fromEnvironment(
                          Map.of("CAMFLOW_PUBLIC_URL", bad))),
              bad);
      assertTrue(e.getMessage().startsWith("CAMFLOW_PUBLIC_URL"), e.getMessage());
    }
  }
}
