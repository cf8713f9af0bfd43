package io.camflow.packager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PackagerMainTest {

  private static final long PID = ProcessHandle.current().pid();

  @Test
  void replicasOfOneComposeServiceGetDistinctStaticMemberIds() {
    // docker compose --scale: same environment, every container's process is pid 1, hostnames
    // differ
    String a = PackagerMain.defaultInstanceId(Map.of("HOSTNAME", "3f2a9c1b7e4d"));
    String b = PackagerMain.defaultInstanceId(Map.of("HOSTNAME", "9b1e0c77aa20"));
    assertNotEquals(a, b);
    assertEquals("packager-3f2a9c1b7e4d-" + PID, a);
  }

  @Test
  void withoutHostnameThePidNamesTheInstance() {
    assertEquals("packager-" + PID, PackagerMain.defaultInstanceId(Map.of()));
    assertEquals(
        "packager-my-host-" + PID, PackagerMain.defaultInstanceId(Map.of("HOSTNAME", "My.Host")));
  }
}
