package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransportSpecTest {

  @Test
  void theFirstAlternativeServed() {
    assertEquals(
        TransportSpec.interleaved(2),
        TransportSpec.choose("RTP/AVP/TCP;unicast;interleaved=2-3", true).orElseThrow());
    assertEquals(
        TransportSpec.udp(5000, 5001),
        TransportSpec.choose("RTP/AVP;unicast;client_port=5000-5001", true).orElseThrow());
    assertEquals(
        TransportSpec.udp(5000, 5001),
        TransportSpec.choose("RTP/AVP/UDP;unicast;client_port=5000", true).orElseThrow());
    assertEquals(
        TransportSpec.interleaved(-1),
        TransportSpec.choose("RTP/AVP;unicast;client_port=1-2,RTP/AVP/TCP;unicast", false)
            .orElseThrow(),
        "UDP off: the TCP alternative");
    assertEquals(
        TransportSpec.interleaved(-1),
        TransportSpec.choose("RTP/AVP;multicast,RTP/AVP/TCP", true).orElseThrow(),
        "no multicast: the next alternative");
    assertEquals(
        new TransportSpec(true, 0, -1, -1, true),
        TransportSpec.choose("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record", true)
            .orElseThrow());
    assertEquals(
        4, TransportSpec.choose("rtp/avp/tcp;interleaved=4", true).orElseThrow().rtpChannel());
  }

  @Test
  void nothingServed() {
    for (String bad :
        new String[] {
          null,
          "",
          "RTP/AVP;unicast",
          "RTP/AVP;unicast;client_port=0-1",
          "RTP/AVP;unicast;client_port=5000-5003",
          "RTP/AVP;unicast;client_port=x",
          "RTP/AVP;multicast;client_port=5000-5001",
          "RAW/RAW/UDP;unicast;client_port=5000-5001",
          "RTP/AVP/TCP;interleaved=x",
          "RTP/AVP/TCP;interleaved=3-9",
          "RTP/AVP/TCP;interleaved=255-256",
          "x".repeat(2000)
        }) {
      assertTrue(TransportSpec.choose(bad, true).isEmpty(), String.valueOf(bad));
    }
    assertTrue(
        TransportSpec.choose("RTP/AVP;unicast;client_port=5000-5001", false).isEmpty(),
        "UDP where it is off");
  }
}
