package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.StreamKey;
import org.junit.jupiter.api.Test;

class RtspUrlTest {

  @Test
  void theStreamItsTrackAndItsQuery() {
    RtspUrl u = RtspUrl.parse("rtsp://cam.local:8554/garage/main?jwt=abc").orElseThrow();
    assertEquals(new StreamKey("garage", "main"), u.key());
    assertEquals(-1, u.track());
    assertEquals("abc", u.parameter("jwt"));
    assertEquals("rtsp://cam.local:8554/garage/main/", u.presentation());
    assertEquals("rtsp://cam.local:8554/garage/main/trackID=1", u.control(1));
    assertEquals(0, RtspUrl.parse("rtsp://h/garage/main/trackID=0").orElseThrow().track());
    assertEquals(-1, RtspUrl.parse("rtsp://h/garage/main/").orElseThrow().track());
    assertEquals(1, RtspUrl.parse("RTSP://h:1/garage/main/trackID=1?x=1").orElseThrow().track());
  }

  @Test
  void aPublishersOwnControlNamesATrackOfItsDescription() {
    RtspUrl u = RtspUrl.parse("rtsp://h:8554/pub/main/streamid=1").orElseThrow();
    assertEquals(new StreamKey("pub", "main"), u.key());
    assertEquals("streamid=1", u.control());
    assertEquals(-1, u.track(), "not one of camflow's own track controls");
    assertEquals(null, RtspUrl.parse("rtsp://h:8554/pub/main").orElseThrow().control());
  }

  @Test
  void credentialsInTheUrlNeverComeBackInAControlUrl() {
    RtspUrl u = RtspUrl.parse("rtsp://nvr:secret@h:8554/garage/main").orElseThrow();
    assertEquals("rtsp://h:8554/garage/main/", u.presentation());
  }

  @Test
  void whatNamesNoStream() {
    for (String bad :
        new String[] {
          "*",
          "/garage/main",
          "http://h/garage/main",
          "rtsp://h",
          "rtsp://h/",
          "rtsp://h/garage",
          "rtsp://h/garage/main/extra",
          "rtsp://h/garage/main/trackID=x",
          "rtsp://h/garage/main/trackID=",
          "rtsp://h/../main",
          "rtsp://h/a b/main",
          "rtsp://h/garage/main/trackID=0/x",
          "rtsp://h/garage/main/trackID=100",
          "rtsp://h/garage/main/=1",
          "rtsp://h?x/garage/main",
          "rtsp://h/garage/main?%zz"
        }) {
      assertTrue(RtspUrl.parse(bad).isEmpty(), bad);
    }
  }

  @Test
  void logsNeverSeeTheQuery() {
    assertEquals("rtsp://h/a/b?…", RtspUrl.withoutQuery("rtsp://h/a/b?jwt=secret"));
  }
}
