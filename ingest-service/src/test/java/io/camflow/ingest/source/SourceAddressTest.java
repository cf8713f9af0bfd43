package io.camflow.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SourceAddressTest {

  @Test
  void credentialsArePercentEncodedForFfmpegOnly() {
    SourceAddress a =
        new SourceAddress(URI.create("rtsp://10.0.0.5:554/stream1"), "ad min", "p@ss:w/rd+%");
    assertEquals(
        "rtsp://ad%20min:p%40ss%3Aw%2Frd%2B%25@10.0.0.5:554/stream1", a.urlWithCredentials());
  }

  @Test
  void toStringNeverShowsCredentials() {
    SourceAddress a = new SourceAddress(URI.create("rtsp://cam/main"), "admin", "hunter2");
    assertFalse(a.toString().contains("hunter2"));
    assertFalse(a.toString().contains("admin"));
    assertEquals("rtsp://cam/main (with credentials)", a.toString());
  }

  @Test
  void withoutCredentialsTheUrlIsUnchanged() {
    assertEquals("rtsp://cam/main", SourceAddress.of("rtsp://cam/main").urlWithCredentials());
  }

  @Test
  void refusesCredentialsInsideTheUrl() {
    assertThrows(IllegalArgumentException.class, () -> SourceAddress.of("rtsp://u:p@cam/main"));
  }

  @Test
  void anRtspsCameraIsReadThroughTheRelayWithTheSamePathQueryAndCredentials() {
    SourceAddress a =
        new SourceAddress(
            URI.create("rtsps://[fe80::1]:322/live/ch%201?channel=1&sub=0"), "ad min", "p@ss");
    assertEquals(
        "rtsp://ad%20min:p%40ss@127.0.0.1:40123/live/ch%201?channel=1&sub=0",
        a.relayedUrlWithCredentials(40123));
    assertEquals(
        "rtsp://127.0.0.1:5/", SourceAddress.of("rtsps://cam").relayedUrlWithCredentials(5));
  }
}
