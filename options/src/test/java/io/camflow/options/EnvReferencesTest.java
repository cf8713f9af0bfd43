package io.camflow.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvReferencesTest {

  private final EnvReferences env =
      new EnvReferences(
          Map.of(
              "FRONTDOOR_PASSWORD", "hunter2",
              "CAM_HOST", "192.168.1.20",
              "EMPTY", ""));

  @Test
  void leavesPlainValuesAlone() {
    assertEquals(new EnvReferences.Resolved("hunter2", List.of()), env.resolve("hunter2", true));
    assertEquals("a$b{c}", env.resolve("a$b{c}", false).value());
  }

  @Test
  void replacesWholeAndEmbeddedReferences() {
    assertEquals("hunter2", env.resolve("${env:FRONTDOOR_PASSWORD}", true).value());
    assertEquals(
        "rtsp://192.168.1.20:554/stream1",
        env.resolve("rtsp://${env:CAM_HOST}:554/stream1", false).value());
    assertEquals("", env.resolve("${env:EMPTY}", true).value());
  }

  @Test
  void fallbackWhenUnset() {
    assertEquals("localhost:9092", env.resolve("${env:KAFKA:-localhost:9092}", false).value());
    assertEquals("192.168.1.20", env.resolve("${env:CAM_HOST:-other}", false).value());
    assertEquals("", env.resolve("${env:UNSET:-}", false).value());
  }

  @Test
  void doubleDollarIsALiteral() {
    assertEquals("pa${ss", env.resolve("pa$${ss", true).value());
    assertEquals(
        "${env:FRONTDOOR_PASSWORD}", env.resolve("$${env:FRONTDOOR_PASSWORD}", true).value());
  }

  @Test
  void valuesAreNotResolvedAgain() {
    EnvReferences nested = new EnvReferences(Map.of("A", "${env:B}", "B", "b"));
    assertEquals("${env:B}", nested.resolve("${env:A}", true).value());
  }

  @Test
  void missingVariableIsNamed() {
    EnvReferences.Resolved r = env.resolve("${env:GARAGE_PASSWORD}", true);
    assertNull(r.value());
    assertEquals(List.of("environment variable GARAGE_PASSWORD is not set"), r.problems());
  }

  @Test
  void everyMissingVariableIsNamed() {
    assertEquals(
        List.of("environment variable A is not set", "environment variable B is not set"),
        env.resolve("${env:A}:${env:B}", false).problems());
  }

  @Test
  void go2rtcStyleReferenceIsAnError() {
    assertEquals(
        List.of(
            "write ${env:FRONTDOOR_PASSWORD} to read environment variable FRONTDOOR_PASSWORD"
                + " (or $${ for a literal ${)"),
        env.resolve("${FRONTDOOR_PASSWORD}", false).problems());
  }

  @Test
  void secretsAreNotQuotedInProblems() {
    for (String raw : List.of("pa${ss}word", "pa${ss", "x${env:b-a-d}")) {
      EnvReferences.Resolved r = env.resolve(raw, true);
      assertNull(r.value());
      for (String p : r.problems()) {
        assertEquals(false, p.contains("ss}") || p.contains("pa") || p.contains("b-a-d"), p);
      }
    }
  }

  @Test
  void malformedReferences() {
    assertEquals(
        List.of("'${' is not closed; write ${env:NAME} (or $${ for a literal ${)"),
        env.resolve("${env:A", false).problems());
    assertEquals(
        List.of("${env:...} needs a variable name of letters, digits and '_'"),
        env.resolve("${env:}", false).problems());
    assertEquals(
        List.of(
            "'${' must start an environment reference ${env:NAME} (or write $${ for a literal ${)"),
        env.resolve("${sys:user.home}", false).problems());
  }
}
