package io.camflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.localprocess.FreePorts;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestCameraTest {

  @Test
  void builderDefaultsAndCommandLine() {
    TestCamera camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H265)
            .size(1920, 1080)
            .fps(30)
            .gop(60)
            .bitrateKbps(4000)
            .audio(TestCamera.Audio.PCMU)
            .credentials("a", "b")
            .path("sub")
            .transport(TestCamera.Transport.TCP)
            .parameterSets(TestCamera.ParameterSets.SDP_ONLY)
            .build();
    assertTrue(camera.port() > 0);
    assertEquals("rtsp://127.0.0.1:" + camera.port() + "/sub", camera.url());
    assertEquals("rtsp://a:b@127.0.0.1:" + camera.port() + "/sub", camera.urlWithCredentials());
    List<String> c = camera.command();
    assertEquals(TestCamera.PYTHON.toString(), c.get(0));
    String joined = String.join(" ", c);
    for (String expected :
        new String[] {
          "--codec h265",
          "--width 1920",
          "--height 1080",
          "--fps 30",
          "--gop 60",
          "--bitrate-kbps 4000",
          "--audio pcmu",
          "--user a",
          "--password b",
          "--protocols tcp",
          "--params sdp-only",
          "--path /sub",
          "--port " + camera.port()
        }) {
      assertTrue(joined.contains(expected), expected + " in " + joined);
    }
    assertTrue(!joined.contains("--clock-code"), joined);
    assertTrue(
        String.join(" ", TestCamera.builder().clockCode(true).build().command())
            .contains("--clock-code"));
    assertTrue(Files.isRegularFile(TestCamera.script()));
    assertEquals("(empty)\n", camera.stderr());
  }

  @Test
  void builderRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> TestCamera.builder().size(641, 360));
    assertThrows(IllegalArgumentException.class, () -> TestCamera.builder().fps(0));
    assertThrows(NullPointerException.class, () -> TestCamera.builder().credentials("a", null));
  }

  @Test
  void credentialsArePercentEncoded() {
    assertEquals(
        "rtsp://us%20er:p%40ss%3Aw%2Fd@127.0.0.1:554/main?x=1",
        Ffprobe.withCredentials("rtsp://127.0.0.1:554/main?x=1", "us er", "p@ss:w/d"));
    assertEquals("rtsp://h/p", Ffprobe.withCredentials("rtsp://h/p", null, null));
  }

  @Test
  void frameRateParsing() {
    assertEquals(25.0, info("25/1").frameRate());
    assertEquals(29.97, info("30000/1001").frameRate(), 0.001);
    assertEquals(0.0, info("0/0").frameRate());
  }

  @Test
  void freePortsAreDistinct() {
    int[] ports = FreePorts.find(3);
    assertNotEquals(ports[0], ports[1]);
    assertNotEquals(ports[1], ports[2]);
    assertNotEquals(ports[0], ports[2]);
    assertTrue(FreePorts.find() > 0);
  }

  private static Ffprobe.StreamInfo info(String rate) {
    return new Ffprobe.StreamInfo(0, "video", "h264", "", 1, 1, rate, 0, 0);
  }
}
