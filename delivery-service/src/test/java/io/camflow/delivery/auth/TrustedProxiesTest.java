package io.camflow.delivery.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

  static boolean trusts(TrustedProxies p, String address) throws Exception {
    return p.trusts(InetAddress.getByName(address)); // literals only: no lookup
  }

  @Test
  void rangesInCidrNotation() throws Exception {
    TrustedProxies p =
        TrustedProxies.parse(" 10.0.0.0/8, 172.16.0.0/12,192.168.1.10 , fd00::/8, ::1");
    assertEquals(5, p.ranges().size());
    assertTrue(trusts(p, "10.255.0.1"));
    assertTrue(trusts(p, "172.31.255.255"));
    assertFalse(trusts(p, "172.32.0.1"));
    assertTrue(trusts(p, "192.168.1.10"));
    assertFalse(trusts(p, "192.168.1.11"), "an address alone is itself only");
    assertTrue(trusts(p, "fd12:3456::1"));
    assertTrue(trusts(p, "::1"));
    assertFalse(trusts(p, "127.0.0.1"));
    assertFalse(trusts(p, "2001:db8::1"));
    assertEquals(
        "10.0.0.0/8,172.16.0.0/12,192.168.1.10/32,fd00:0:0:0:0:0:0:0/8,0:0:0:0:0:0:0:1/128",
        p.toString());
  }

  @Test
  void noneByDefault() throws Exception {
    assertTrue(TrustedProxies.parse("").isEmpty());
    assertTrue(TrustedProxies.parse(" , ").isEmpty());
    assertFalse(trusts(TrustedProxies.NONE, "127.0.0.1"));
  }

  @Test
  void onlyLiteralsAndValidPrefixes() {
    for (String bad :
        new String[] {
          "proxy.example.com",
          "10.0.0.0/33",
          "10.0.0.0/",
          "10.0.0/8",
          "::1/129",
          "10.0.0.0/-1",
          "fe80::1%eth0/64"
        }) {
      assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(bad), bad);
    }
  }

  @Test
  void theEnvironmentVariable() {
    assertEquals(
        TrustedProxies.NONE,
        AuthSettings.from(io.camflow.options.Settings.fromEnvironment(java.util.Map.of()))
            .trustedProxies());
    assertEquals(
        "10.0.0.0/8",
        AuthSettings.from(
                io.camflow.options.Settings.fromEnvironment(
                    java.util.Map.of("CAMFLOW_TRUSTED_PROXIES", "10.0.0.0/8")))
            .trustedProxies()
            .toString());
    assertEquals(
        "127.0.0.1/32",
        AuthSettings.from(
                io.camflow.options.Settings.fromEnvironment(
                    java.util.Map.of(
                        "CAMFLOW_AUTH", "off", "CAMFLOW_TRUSTED_PROXIES", "127.0.0.1")))
            .trustedProxies()
            .toString(),
        "read with auth off too");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AuthSettings.from(
                    io.camflow.options.Settings.fromEnvironment(
                        java.util.Map.of("CAMFLOW_TRUSTED_PROXIES", "haproxy"))));
    assertTrue(e.getMessage().startsWith("CAMFLOW_TRUSTED_PROXIES: 'haproxy'"), e.getMessage());
  }
}
