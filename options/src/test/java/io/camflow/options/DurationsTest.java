package io.camflow.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "0s, 0",
    "500ms, 500",
    "10s, 10000",
    "1.5s, 1500",
    "5m, 300000",
    "1h30m, 5400000",
    "24h, 86400000",
    "7d, 604800000",
    "1d12h, 129600000",
    "2m500ms, 120500",
    "' 10s ', 10000",
  })
  void parses(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }

  @ParameterizedTest
  @CsvSource({
    "'', 'empty; write e.g. 10s (units: ms, s, m, h or d)'",
    "10, 'has no unit; write e.g. 10s (units: ms, s, m, h or d)'",
    "1.5, 'has no unit; write e.g. 1.5s (units: ms, s, m, h or d)'",
    "-5s, cannot be negative",
    "10x, 'has an unknown unit ''x'' (units: ms, s, m, h or d)'",
    "10sec, 'has an unknown unit ''sec'' (units: ms, s, m, h or d)'",
    "10S, 'has an unknown unit ''S'' (units: ms, s, m, h or d)'",
    "1h 30m, must not contain spaces; write e.g. 10s or 1h30m",
    "PT10S, 'is ISO-8601; write e.g. 10s, 5m or 24h instead (units: ms, s, m, h or d)'",
    "ten seconds, must not contain spaces; write e.g. 10s or 1h30m",
    "abc, 'is not a duration; write e.g. 500ms, 10s, 5m, 24h or 7d'",
    "1h30, 'has a number without a unit (units: ms, s, m, h or d)'",
    "5m-3s, 'is not a duration; write e.g. 500ms, 10s, 5m, 24h or 7d'",
    "0.5ms, is finer than a millisecond",
    "36501d, is longer than 36500d",
    "99999999999999999999d, is longer than 36500d",
  })
  void rejects(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "500, 500ms",
    "10000, 10s",
    "90000, 1m30s",
    "86400000, 1d",
    "604800000, 7d",
    "90061001, 1d1h1m1s1ms",
  })
  void formats(long millis, String text) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 500, 10_000, 90_000, 86_400_000, 90_061_001, 3_153_600_000_000L})
  void formatReadsBack(long millis) {
    Duration d = Duration.ofMillis(millis);
    assertEquals(d, Durations.parse(Durations.format(d)));
  }

  @ParameterizedTest
  @CsvSource({
    "333340us, 333340",
    "333ms340us, 333340",
    "0.5ms, 500",
    "2s, 2000000",
  })
  void parsesFineDurations(String text, long micros) {
    assertEquals(Duration.ofNanos(micros * 1000), Durations.parseFine(text));
    assertEquals(
        Duration.ofNanos(micros * 1000),
        Durations.parseFine(Durations.format(Durations.parseFine(text))));
  }

  @ParameterizedTest
  @CsvSource({
    "10us, 'has an unknown unit ''us'' (units: ms, s, m, h or d)'",
  })
  void microsecondsOnlyWhereAsked(String text, String message) {
    assertEquals(
        message,
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text)).getMessage());
    assertEquals(
        "is finer than a microsecond",
        assertThrows(IllegalArgumentException.class, () -> Durations.parseFine("0.5us"))
            .getMessage());
  }

  /** The cases the file's and the API's parsers once had to agree on; now they are one. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "", " ", "10", "-1s", "PT10S", "1.0005s", "10 s", "36501d", "5x", "s", "1h30", "1.s"
      })
  void refusesWhatTheFileAndTheApiRefuse(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text), text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0", "500ms", "10s", "1.5s", "5m", "1h30m", "24h", "7d", "2d12h", "36500d", " 10s "
      })
  void readsBackWhatTheFileAndTheApiTake(String text) {
    assertEquals(
        Durations.parse(text), Durations.parse(Durations.format(Durations.parse(text))), text);
  }
}
