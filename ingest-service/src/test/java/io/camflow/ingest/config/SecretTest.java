package io.camflow.ingest.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void revealsOnlyOnRequest() {
    Secret s = Secret.of("hunter2");
    assertEquals("hunter2", s.reveal());
    assertArrayEquals("hunter2".toCharArray(), s.revealChars());
    assertEquals("****", s.toString());
    assertEquals("****", String.valueOf(s));
    assertEquals("x=****", "x=" + s);
  }

  @Test
  void revealCharsIsACopyTheCallerMayWipe() {
    Secret s = Secret.of("hunter2");
    char[] chars = s.revealChars();
    java.util.Arrays.fill(chars, '\0');
    assertEquals("hunter2", s.reveal());
  }

  @Test
  void equalityByValueHashByNothing() {
    assertEquals(Secret.of("hunter2"), Secret.of("hunter2"));
    assertNotEquals(Secret.of("hunter2"), Secret.of("hunter3"));
    assertNotEquals(Secret.of("hunter2"), Secret.of("hunter22"));
    assertNotEquals(Secret.of(""), Secret.of("a"));
    assertEquals(Secret.of("a").hashCode(), Secret.of("completely different").hashCode());
    assertNotEquals(Secret.of("hunter2"), "hunter2");
  }
}
