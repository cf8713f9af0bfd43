package io.camflow.delivery.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IcePathTest {

  private static InetSocketAddress at(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  @Test
  void keepsAFewAddressesAndNeverForgetsTheMediaAddress() {
    IcePath path = new IcePath(0, 3);
    assertNull(path.validCheck(at(1), true, 1), "nominated: media goes here");
    assertNull(path.validCheck(at(2), false, 2));
    assertNull(path.validCheck(at(3), false, 3));
    assertEquals(at(2), path.validCheck(at(4), false, 4), "the oldest that is not the media address goes");
    assertNull(path.validCheck(at(3), false, 5), "a known address is only refreshed");
    assertEquals(at(4), path.validCheck(at(5), false, 6));
    assertEquals(List.of(at(1), at(3), at(5)), path.addresses());
    assertEquals(at(1), path.target());
  }
}
