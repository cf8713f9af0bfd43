package io.camflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoredPasswordTest {

  @ParameterizedTest(name = "{0} -> {1} ({2})")
  @CsvSource({
    "rtsp://192.0.2.10/live,        rtsp://192.0.2.10/other,        cam, true", // another path
    "rtsp://192.0.2.10/live,        rtsp://192.0.2.10:554/live,     cam, true", // the default port
    // written out
    "rtsp://Cam.Example/live,       rtsp://cam.example/live,        cam, true", // host names ignore
    // case
    "RTSP://cam.example/live,       rtsp://cam.example/live,        cam, true",
    "rtsps://cam.example/live,      rtsps://cam.example:322/live,   cam, true", // rtsps' default
    // port
    "rtsp://192.0.2.10/live,        rtsp://198.51.100.7/live,       cam, false", // another host
    "rtsp://192.0.2.10/live,        rtsp://192.0.2.10:8554/live,    cam, false", // another port
    "rtsp://192.0.2.10/live,        rtsps://192.0.2.10:554/live,    cam, false", // another scheme
    "rtsp://192.0.2.10/live,        rtsp://192.0.2.10/live,       other, false", // another username
    "rtsp://192.0.2.10/live,        rtsp://evil.example@192.0.2.10/live, cam, true", // userinfo is
    // not the host
    "rtsp://192.0.2.10/live,        rtsp://192.0.2.10@evil.example/live, cam, false",
    "rtsp://192.0.2.10/live,        not a url,                      cam, false",
  })
  void aStoredPasswordStaysOnlyWithTheSamePlaceAndUser(
      String before, String after, String user, boolean stays) {
    StreamEntry old = new StreamEntry("main", before, "cam", "v1:sealed", StreamSettings.UNSET);
    StreamEntry changed = new StreamEntry("main", after, user, null, StreamSettings.UNSET);
    assertEquals(stays, StoredPassword.staysWith(old, changed));
  }

  /** A pulled stream that becomes published has no URL to keep a password for. */
  @Test
  void aPasswordDoesNotStayWithAPublishedStream() {
    StreamEntry old =
        new StreamEntry("main", "rtsp://192.0.2.10/live", "cam", "v1:sealed", StreamSettings.UNSET);
    assertFalse(StoredPassword.staysWith(old, StreamEntry.published("main")));
  }
}
