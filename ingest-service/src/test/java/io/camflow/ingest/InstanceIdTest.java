package io.camflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceIdTest {

  private static final long PID = ProcessHandle.current().pid();

  @Test
  void takesTheConfiguredId() {
    assertEquals("ingest-7", IngestMain.instanceId(Map.of("CAMFLOW_INSTANCE_ID", " ingest-7 ")));
  }

  @Test
  void defaultsToHostAndPidSoReplicasInContainersDiffer() {
    // in a container every process is pid 1: the host name (the container id) tells them apart
    assertEquals(
        "ingest-3f2a9c-web_1-" + PID, IngestMain.instanceId(Map.of("HOSTNAME", "3F2A9C.web_1")));
    assertEquals(
        "ingest-a-" + PID,
        IngestMain.instanceId(Map.of("HOSTNAME", "a", "CAMFLOW_INSTANCE_ID", "")));
  }
}
