package io.camflow.delivery.door;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.auth.TrustedProxies;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Whose address a request is, with and without trusted proxies, and the ways a client may try to
 * lie.
 */
class ClientAddressTest {

  static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 127.0.0.1, fd00::/8");
  static final InetSocketAddress PROXY = new InetSocketAddress("10.1.2.3", 40000);
  static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.20", 40000);

  static String client(InetSocketAddress peer, TrustedProxies proxies, String... headers) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return ClientAddress.of(peer, h, proxies).address();
  }

  @Test
  void withoutTrustedProxiesTheHeadersAreIgnored() {
    assertEquals("10.1.2.3", client(PROXY, TrustedProxies.NONE, "X-Forwarded-For", "203.0.113.7"));
    assertEquals(
        "198.51.100.20",
        client(STRANGER, PROXIES, "X-Forwarded-For", "203.0.113.7"),
        "a peer that is not a proxy");
    assertEquals("198.51.100.20", client(STRANGER, PROXIES, "Forwarded", "for=203.0.113.7"));
  }

  @Test
  void aTrustedProxyNamesTheClient() {
    assertEquals("203.0.113.7", client(PROXY, PROXIES, "X-Forwarded-For", "203.0.113.7"));
    assertEquals(
        "203.0.113.7",
        client(PROXY, PROXIES, "Forwarded", "for=203.0.113.7;proto=https;by=10.1.2.3"));
    assertEquals(
        "2001:db8:0:0:0:0:0:7", client(PROXY, PROXIES, "Forwarded", "For=\"[2001:db8::7]:4711\""));
    assertEquals(
        "203.0.113.7",
        client(PROXY, PROXIES, "X-Forwarded-For", "203.0.113.7:5555"),
        "with a port");
    assertEquals("10.1.2.3", client(PROXY, PROXIES), "the proxy's own request");
  }

  @Test
  void theListIsReadFromTheRightSkippingTrustedHops() {
    // client → 10.9.9.9 (inner proxy) → 10.1.2.3 (outer): what the client wrote itself is left of
    // its own entry
    assertEquals(
        "203.0.113.7",
        client(PROXY, PROXIES, "X-Forwarded-For", "192.0.2.66, 203.0.113.7, 10.9.9.9"));
    assertEquals(
        "203.0.113.7",
        client(PROXY, PROXIES, "X-Forwarded-For", "192.0.2.66", "X-Forwarded-For", "203.0.113.7"),
        "several header lines are one list");
    assertEquals(
        "203.0.113.7", client(PROXY, PROXIES, "Forwarded", "for=192.0.2.66, for=203.0.113.7"));
    assertEquals(
        "10.0.0.1",
        client(PROXY, PROXIES, "X-Forwarded-For", "10.0.0.1, 10.9.9.9"),
        "only proxies: the farthest");
  }

  @Test
  void whatIsNotAnAddressEndsTheWalk() {
    assertEquals(
        "10.1.2.3", client(PROXY, PROXIES, "X-Forwarded-For", "203.0.113.7, evil.example.com"));
    assertEquals("10.1.2.3", client(PROXY, PROXIES, "Forwarded", "for=unknown"));
    assertEquals("10.1.2.3", client(PROXY, PROXIES, "Forwarded", "for=_hidden"));
    assertEquals("10.1.2.3", client(PROXY, PROXIES, "Forwarded", "proto=http"));
    assertEquals("10.1.2.3", client(PROXY, PROXIES, "X-Forwarded-For", ""));
    assertEquals(
        "10.9.9.9",
        client(PROXY, PROXIES, "X-Forwarded-For", "junk, 10.9.9.9"),
        "the last trusted hop");
    assertNull(ClientAddress.literal("localhost"), "names are never looked up");
    assertNull(ClientAddress.literal("fe80::1%eth0"));
    assertNull(ClientAddress.literal("[2001:db8::1"));
    assertNull(ClientAddress.literal("1".repeat(100)));
  }

  @Test
  void twoHeadersThatDisagreeAreNotBelieved() {
    // a proxy that sets X-Forwarded-For passes on a Forwarded the client wrote, or the other way
    // round
    assertEquals(
        "10.1.2.3",
        client(PROXY, PROXIES, "X-Forwarded-For", "203.0.113.7", "Forwarded", "for=192.0.2.1"));
    assertEquals(
        "203.0.113.7",
        client(PROXY, PROXIES, "X-Forwarded-For", "203.0.113.7", "Forwarded", "for=203.0.113.7"));
  }

  @Test
  void loopbackIsTheClientsNotTheProxys() {
    HttpHeaders h = new DefaultHttpHeaders().add("X-Forwarded-For", "203.0.113.7");
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 40000);
    assertFalse(
        ClientAddress.of(local, h, PROXIES).loopback(), "a client through a proxy on this host");
    assertTrue(
        ClientAddress.of(local, new DefaultHttpHeaders(), PROXIES).loopback(), "the proxy itself");
    assertTrue(
        ClientAddress.of(local, h, TrustedProxies.NONE).loopback(),
        "untrusted: the header means nothing");
  }
}
