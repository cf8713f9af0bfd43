package io.camflow.ingest.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnershipSettingsTest {

  @Test
  void defaultsTo24PartitionsAndASixSecondSession() {
    OwnershipSettings s =
        OwnershipSettings.from(io.camflow.options.Settings.fromEnvironment(Map.of()));
    assertEquals(24, s.partitions());
    assertEquals(Duration.ofSeconds(6), s.sessionTimeout());
    assertEquals(Duration.ofSeconds(2), s.heartbeatInterval());
  }

  @Test
  void readsTheEnvironment() {
    OwnershipSettings s =
        OwnershipSettings.from(
            io.camflow.options.Settings.fromEnvironment(
                Map.of(
                    "CAMFLOW_INGEST_PARTITIONS",
                    "48",
                    "CAMFLOW_INGEST_SESSION_TIMEOUT_MS",
                    " 9000 ")));
    assertEquals(48, s.partitions());
    assertEquals(Duration.ofSeconds(9), s.sessionTimeout());
    assertEquals(Duration.ofSeconds(3), s.heartbeatInterval());
  }

  @Test
  void namesTheVariableThatIsWrong() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OwnershipSettings.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of("CAMFLOW_INGEST_PARTITIONS", "many"))));
    assertTrue(e.getMessage().contains("CAMFLOW_INGEST_PARTITIONS"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OwnershipSettings.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of("CAMFLOW_INGEST_PARTITIONS", "0"))));
    assertTrue(e.getMessage().contains("1 to 10000"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OwnershipSettings.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of("CAMFLOW_INGEST_SESSION_TIMEOUT_MS", "500"))));
    assertTrue(e.getMessage().contains("CAMFLOW_INGEST_SESSION_TIMEOUT_MS"), e.getMessage());
  }
}
