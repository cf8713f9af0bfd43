package io.camflow.delivery.api.cameras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.camflow.registry.CameraEntry;
import io.camflow.registry.StreamEntry;
import io.camflow.registry.StreamSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameraViewTest {

  private static final CameraEntry STUDIO =
      new CameraEntry(
          "studio",
          CameraEntry.API,
          List.of(
              StreamEntry.published("main"),
              new StreamEntry("sub", "rtsp://192.0.2.10/sub", "cam", null, StreamSettings.UNSET)),
          null);

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> streams(boolean admin) {
    // never started: no status known, nothing asked of Kafka
    try (StreamStatuses statuses = new StreamStatuses("localhost:9", "camera-view-test")) {
      return (List<Map<String, Object>>)
          CameraView.of(STUDIO, statuses, key -> Map.of(), admin, "rtsp://cam.lan:8554")
              .get("streams");
    }
  }

  /** An administrator sees where each stream comes from; a published one has nothing to pull. */
  @Test
  void anAdministratorSeesEachStreamsSource() {
    List<Map<String, Object>> s = streams(true);
    assertEquals("publish", s.get(0).get("source"));
    for (String pullOnly :
        List.of("url", "username", "passwordSet", "mode", "transport", "tlsVerify")) {
      assertFalse(s.get(0).containsKey(pullOnly), pullOnly);
    }
    assertEquals("/live/studio/main/index.m3u8", ((Map<?, ?>) s.get(0).get("urls")).get("hls"));
    assertEquals("pull", s.get(1).get("source"));
    assertEquals("rtsp://192.0.2.10/sub", s.get(1).get("url"));
    assertEquals(false, s.get(1).get("passwordSet"));
  }

  @Test
  void everyoneGetsEachStreamsRtspUrlAtTheHostTheyAsked() {
    for (boolean admin : new boolean[] {true, false}) {
      List<Map<String, Object>> s = streams(admin);
      assertEquals(
          "rtsp://cam.lan:8554/studio/main", ((Map<?, ?>) s.get(0).get("urls")).get("rtsp"));
      assertEquals(
          "rtsp://cam.lan:8554/studio/sub", ((Map<?, ?>) s.get(1).get("urls")).get("rtsp"));
    }
  }

  @Test
  void othersDoNotSeeIt() {
    for (Map<String, Object> s : streams(false)) {
      assertFalse(s.containsKey("source"), s.toString());
      assertFalse(s.containsKey("url"), s.toString());
    }
  }
}
