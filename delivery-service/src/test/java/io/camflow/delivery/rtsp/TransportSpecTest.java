package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransportSpecTest {

  @Test
  void theTcpAlternativeAndItsChannels() {
    assertEquals(
        new TransportSpec(2, false),
        TransportSpec.tcp("RTP/AVP/TCP;unicast;interleaved=2-3").orElseThrow());
    assertEquals(
        new TransportSpec(-1, false),
        TransportSpec.tcp("RTP/AVP;unicast;client_port=1-2,RTP/AVP/TCP;unicast").orElseThrow());
    assertEquals(
        new TransportSpec(0, true),
        TransportSpec.tcp("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record").orElseThrow());
    assertEquals(4, TransportSpec.tcp("rtp/avp/tcp;interleaved=4").orElseThrow().rtpChannel());
  }

  @Test
  void udpOnlyOrJunkIsNoTcpTransport() {
    for (String bad :
        new String[] {
          null,
          "",
          "RTP/AVP;unicast;client_port=5000-5001",
          "RTP/AVP/TCP;interleaved=x",
          "RTP/AVP/TCP;interleaved=3-9",
          "RTP/AVP/TCP;interleaved=255-256",
          "x".repeat(2000)
        }) {
      assertTrue(TransportSpec.tcp(bad).isEmpty(), String.valueOf(bad));
    }
  }
}
