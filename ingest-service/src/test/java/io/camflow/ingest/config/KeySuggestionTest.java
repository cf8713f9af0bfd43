package io.camflow.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySuggestionTest {

  private static final List<String> STREAM_KEYS = ConfigReader.STREAM_KEYS;

  @ParameterizedTest
  @CsvSource({
    "usrename, username",
    "user_name, username",
    "Username, username",
    "pasword, password",
    "idle_grace, idleGrace",
    "idle-grace, idleGrace",
    "readtimeout, readTimeout",
    "trasnport, transport",
    "url, url",
    "uri, url",
    "mdoe, mode",
  })
  void suggests(String typo, String key) {
    assertEquals(Optional.of(key), KeySuggestion.closest(typo, STREAM_KEYS));
  }

  @ParameterizedTest
  @CsvSource({"sourceOnDemand", "channel", "fps", "latency"})
  void staysQuietWhenNothingIsClose(String key) {
    assertEquals(Optional.empty(), KeySuggestion.closest(key, STREAM_KEYS));
  }
}
