package io.camflow.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camflow.ingest.config.DurationValue;
import io.camflow.registry.DurationText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API (registry's {@link DurationText}) and the file (ingest's {@link DurationValue}) accept and
 * refuse the same durations: an API camera's settings mean what the same text means in camflow.yaml.
 */
class DurationRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {"0", "500ms", "10s", "1.5s", "5m", "1h30m", "24h", "7d", "2d12h", "36500d", " 10s "})
  void sameValue(String text) {
    assertEquals(DurationValue.parse(text), DurationText.parse(text), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "10", "-1s", "PT10S", "1.0005s", "10 s", "36501d", "5x", "s", "1h30", "1.s"})
  void sameRefusal(String text) {
    assertThrows(IllegalArgumentException.class, () -> DurationValue.parse(text), text);
    assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text), text);
  }
}
