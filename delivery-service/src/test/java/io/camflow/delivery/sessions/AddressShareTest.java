package io.camflow.delivery.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AddressShareTest {

  @Test
  void anIpv4AddressIsItsOwnShare() {
    assertEquals("203.0.113.7", AddressShare.of("203.0.113.7"));
    assertEquals("203.0.113.7", AddressShare.of("::ffff:203.0.113.7"), "IPv4-mapped");
  }

  @Test
  void anIpv6AddressCountsByItsSlash64() {
    assertEquals("2001:db8:1:2::/64", AddressShare.of("2001:db8:1:2:0:0:0:1"));
    assertEquals("2001:db8:1:2::/64", AddressShare.of("2001:db8:1:2:abcd:ef01:2345:6789"));
    assertEquals("2001:db8:1:2::/64", AddressShare.of("2001:db8:1:2::9"));
  }

  @Test
  void thisMachineHasNoShare() {
    assertNull(AddressShare.of("127.0.0.1"));
    assertNull(AddressShare.of("127.0.0.2"));
    assertNull(AddressShare.of("0:0:0:0:0:0:0:1"));
    assertNull(AddressShare.of("::1"));
    assertNull(AddressShare.of(null));
  }
}
