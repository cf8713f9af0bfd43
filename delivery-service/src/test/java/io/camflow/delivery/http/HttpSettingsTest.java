package io.camflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

  @Test
  void defaultsAndTheEnvironment() {
    assertEquals(
        new HttpSettings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30)),
        HttpSettings.from(io.camflow.options.Settings.fromEnvironment(Map.of())));
    assertEquals(
        new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(1500)),
        HttpSettings.from(
            io.camflow.options.Settings.fromEnvironment(
                Map.of(
                    "CAMFLOW_HTTP_IDLE_TIMEOUT_MS",
                    "5000",
                    "CAMFLOW_HTTP_READ_TIMEOUT_MS",
                    " 2000 ",
                    "CAMFLOW_HTTP_WRITE_TIMEOUT_MS",
                    "1500"))));
  }

  @Test
  void wrongValuesNameTheirVariable() {
    IllegalArgumentException text =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HttpSettings.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of("CAMFLOW_HTTP_IDLE_TIMEOUT_MS", "1m"))));
    assertTrue(text.getMessage().contains("CAMFLOW_HTTP_IDLE_TIMEOUT_MS"), text.getMessage());
    IllegalArgumentException tooShort =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HttpSettings.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of("CAMFLOW_HTTP_WRITE_TIMEOUT_MS", "10"))));
    assertTrue(
        tooShort.getMessage().contains("CAMFLOW_HTTP_WRITE_TIMEOUT_MS"), tooShort.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            HttpSettings.from(
                io.camflow.options.Settings.fromEnvironment(
                    Map.of("CAMFLOW_HTTP_READ_TIMEOUT_MS", "7200000"))));
  }

  @Test
  void durationsAsDurationsUnderTheNewNames() {
    HttpSettings s =
        HttpSettings.from(
            io.camflow.options.Settings.fromEnvironment(
                Map.of(
                    "CAMFLOW_HTTP_IDLE_TIMEOUT",
                    "2m",
                    "CAMFLOW_HTTP_READ_TIMEOUT",
                    "5s",
                    "CAMFLOW_HTTP_WRITE_TIMEOUT",
                    "1500ms",
                    "CAMFLOW_HTTP_IDLE_TIMEOUT_MS",
                    "5000")));
    assertEquals(
        new HttpSettings(
            java.time.Duration.ofMinutes(2),
            java.time.Duration.ofSeconds(5),
            java.time.Duration.ofMillis(1500)),
        s,
        "the new name wins over the older one");
  }
}
