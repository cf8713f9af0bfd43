package io.camflow.serviceruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceIdTest {

  private static final long PID = ProcessHandle.current().pid();

  @Test
  void theHostIsCleanedAndPutBeforeThePid() {
    assertEquals("svc-3f2a9c-web_1-" + PID, InstanceId.byDefault("svc", "3F2A9C.web_1"));
    assertEquals("svc-my-host-" + PID, InstanceId.byDefault("svc", " My.Host "));
    assertEquals("svc-" + PID, InstanceId.byDefault("svc", ""));
  }

  @Test
  void theConfiguredIdWinsAndWithoutAHostnameTheSystemNamesTheHost() {
    assertEquals("a-1", InstanceId.of("svc", Map.of("CAMFLOW_INSTANCE_ID", " a-1 ")));
    String id = InstanceId.of("svc", Map.of());
    assertTrue(id.startsWith("svc-") && id.endsWith("-" + PID), id);
  }
}
