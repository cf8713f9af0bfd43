package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WhepSettingsTest {

  @Test
  void nackBudgetFromTheEnvironment() {
    assertEquals(
        new NackBudget(100, 256),
        WhepSettings.from(io.camflow.options.Settings.fromEnvironment(Map.of())).nackBudget());
    assertEquals(
        new NackBudget(50, 1000),
        WhepSettings.from(
                io.camflow.options.Settings.fromEnvironment(
                    Map.of(
                        "CAMFLOW_WEBRTC_NACK_BUDGET_PERCENT",
                        "50",
                        "CAMFLOW_WEBRTC_NACK_FLOOR_KBPS",
                        "1000")))
            .nackBudget());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    WhepSettings.from(
                        io.camflow.options.Settings.fromEnvironment(
                            Map.of("CAMFLOW_WEBRTC_NACK_BUDGET_PERCENT", "2000"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_NACK_BUDGET_PERCENT"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    WhepSettings.from(
                        io.camflow.options.Settings.fromEnvironment(
                            Map.of("CAMFLOW_WEBRTC_NACK_FLOOR_KBPS", "lots"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_NACK_FLOOR_KBPS"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    WhepSettings.from(
                        io.camflow.options.Settings.fromEnvironment(
                            Map.of("CAMFLOW_WEBRTC_NACK_FLOOR_KBPS", "4294967552"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_NACK_FLOOR_KBPS"),
        "too big is refused, not wrapped into range");
  }
}
