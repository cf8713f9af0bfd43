package io.camflow.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HandshakeSlotsTest {

  private static InetAddress ip(String a) throws Exception {
    return InetAddress.getByName(a);
  }

  @Test
  void boundedPerClientAndInAll() throws Exception {
    HandshakeSlots slots = new HandshakeSlots(2, 3);
    HandshakeSlots.Slot a1 = slots.take(ip("192.0.2.1"));
    assertNotNull(a1);
    assertNotNull(slots.take(ip("192.0.2.1")));
    assertNull(slots.take(ip("192.0.2.1")), "a third one for the same address");
    assertNotNull(slots.take(ip("192.0.2.2")));
    assertNull(slots.take(ip("192.0.2.3")), "three in all");
    assertEquals(3, slots.running());
    assertEquals(2, slots.refused());
    a1.close();
    a1.close(); // given back once only
    assertEquals(2, slots.running());
    assertNotNull(slots.take(ip("192.0.2.3")));
    assertNull(slots.take(ip("192.0.2.4")));
  }

  @Test
  void anIpv6Slash64IsOneClient() throws Exception {
    HandshakeSlots slots = new HandshakeSlots(1, 10);
    assertNotNull(slots.take(ip("2001:db8:1:2::1")));
    assertNull(slots.take(ip("2001:db8:1:2:ffff::7")), "the same /64");
    assertNotNull(slots.take(ip("2001:db8:1:3::1")), "another /64");
    assertEquals(
        ip("2001:db8:1:2::"), HandshakeSlots.clientOf(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
    assertEquals(ip("203.0.113.9"), HandshakeSlots.clientOf(ip("203.0.113.9")));
  }
}
