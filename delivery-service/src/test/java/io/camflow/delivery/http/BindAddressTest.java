package io.camflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BindAddressTest {

  @Test
  void everyInterfaceUnlessSet() {
    assertTrue(BindAddress.from(io.camflow.options.Settings.fromEnvironment(Map.of())).anyLocal());
    assertTrue(
        BindAddress.from(
                io.camflow.options.Settings.fromEnvironment(Map.of("CAMFLOW_HTTP_HOST", " ")))
            .anyLocal());
    assertEquals("0.0.0.0", BindAddress.all().host());
  }

  @Test
  void takesIpAddressLiterals() {
    assertEquals(
        "127.0.0.1",
        BindAddress.from(
                io.camflow.options.Settings.fromEnvironment(
                    Map.of("CAMFLOW_HTTP_HOST", "127.0.0.1")))
            .host());
    assertEquals("192.168.1.10", BindAddress.parse("192.168.1.10").host());
    assertFalse(BindAddress.parse("192.168.1.10").anyLocal());
    assertTrue(BindAddress.parse("::").anyLocal());
    assertTrue(BindAddress.parse("[::1]").address().isLoopbackAddress());
    assertEquals(8080, BindAddress.parse("::1").socket(8080).getPort());
  }

  @Test
  void refusesHostNamesAndNonsenseNamingTheVariable() {
    for (String bad :
        new String[] {
          "localhost", "example.com", "256.1.1.1", "1.2.3", "0.0.0.0:8080", "", "a:b:g"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> BindAddress.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("CAMFLOW_HTTP_HOST"), e.getMessage());
    }
  }
}
