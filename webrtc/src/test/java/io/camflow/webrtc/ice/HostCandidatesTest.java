package io.camflow.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostCandidatesTest {

  @Test
  void extraHostsComeFirstWithTheHighestPriority() throws Exception {
    List<IceCandidate> candidates =
        HostCandidates.gather(8189, List.of("203.0.113.7", "localhost"), false);
    assertEquals(InetAddress.getByName("203.0.113.7"), candidates.get(0).address());
    assertTrue(
        candidates.get(1).address().isLoopbackAddress(),
        "a configured name is announced even if loopback");
    for (int i = 1; i < candidates.size(); i++) {
      assertTrue(candidates.get(i - 1).priority() > candidates.get(i).priority());
    }
    assertEquals(
        "candidate:1 1 udp 2130706431 203.0.113.7 8189 typ host", candidates.get(0).toSdp());
  }

  @Test
  void machineAddressesWithoutLoopbackUnlessAskedAndWithoutScopes() {
    List<IceCandidate> plain = HostCandidates.gather(9, List.of(), false);
    assertFalse(plain.stream().anyMatch(c -> c.address().isLoopbackAddress()));
    assertFalse(plain.stream().anyMatch(c -> c.address().isLinkLocalAddress()));
    assertFalse(plain.stream().anyMatch(c -> c.toSdp().contains("%")), "no IPv6 scope in SDP");
    List<IceCandidate> withLoopback = HostCandidates.gather(9, List.of(), true);
    assertTrue(withLoopback.stream().anyMatch(c -> c.address().isLoopbackAddress()));
  }

  @Test
  void anUnresolvableExtraHostIsAClearError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HostCandidates.gather(8189, List.of("no-such-host.invalid"), false));
    assertTrue(e.getMessage().contains("CAMFLOW_WEBRTC_HOSTS"), e.getMessage());
  }
}
