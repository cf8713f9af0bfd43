package io.camflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamUrlTest {

  private static StreamUrl parse(String text) {
    return StreamUrl.parse(text, s -> "'" + s + "'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rtsp://192.168.1.20/stream1",
        "rtsp://192.168.1.20:554/Streaming/Channels/101?transportmode=unicast",
        "rtsp://cam.local",
        "rtsps://cam.example.com:322/live",
        "rtsp://[fe80::1]:554/stream",
        "rtsp://my_cam.lan/stream",
        "synthetic:testsrc",
        "synthetic:testsrc?size=1280x720&rate=25&gop=25&bitrate=2000k",
      })
  void keepsUrlsWithoutCredentialsAsTheyAre(String url) {
    StreamUrl u = parse(url);
    assertEquals(url, u.uri().toString());
    assertFalse(u.hasCredentials());
  }

  @Test
  void movesCredentialsOutOfTheUri() {
    StreamUrl u = parse("rtsp://admin:hunter2@192.168.1.20:554/stream1?channel=1");
    assertEquals("rtsp://192.168.1.20:554/stream1?channel=1", u.uri().toString());
    assertNull(u.uri().getUserInfo());
    assertEquals("admin", u.username());
    assertEquals("hunter2", u.password());
  }

  @Test
  void decodesPercentEncodedCredentials() {
    StreamUrl u = parse("rtsp://ad%6Din:p%40ss%3Aw%2Fo+rd%C3%A9@cam/stream");
    assertEquals("admin", u.username());
    assertEquals("p@ss:w/o+rdé", u.password());
  }

  @Test
  void lastAtEndsTheCredentialsLikeGo() {
    StreamUrl u = parse("rtsp://admin:p@ss@cam/stream");
    assertEquals("admin", u.username());
    assertEquals("p@ss", u.password());
    assertEquals("rtsp://cam/stream", u.uri().toString());
  }

  @Test
  void usernameWithoutPassword() {
    StreamUrl u = parse("rtsp://admin@cam/stream");
    assertEquals("admin", u.username());
    assertNull(u.password());
  }

  @Test
  void schemeIsCaseInsensitive() {
    assertEquals("rtsp://cam/stream", parse("RTSP://cam/stream").uri().toString());
  }

  private static final String SHAPES =
      "rtsp://host[:port]/path, rtsps://host[:port]/path or synthetic:<pattern>";
  private static final String BAD_HOST =
      "invalid host name; expected rtsp://host[:port]/path "
          + "(percent-encode special characters of a password in the URL, or use username/password)";
  private static final String BAD_PORT = "invalid port; expected a number from 1 to 65535";
  private static final String SYNTHETIC =
      "write synthetic:<pattern>[?options], " + "e.g. synthetic:testsrc?size=1280x720&rate=25";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "192.168.1.20/stream1 | not a URL; expected SHAPES",
        "http://cam/stream | unsupported scheme 'http'; camflow pulls SHAPES",
        "rtsp:/cam/stream | expected rtsp://host[:port]/path",
        "rtsp:// | no host; expected rtsp://host[:port]/path",
        "rtsp://:554/stream | BAD_HOST",
        "rtsp://cam:0/stream | BAD_PORT",
        "rtsp://cam:65536/stream | BAD_PORT",
        "rtsp://cam:x/stream | BAD_PORT",
        "rtsp://cam/my stream | malformed URL: illegal character in path (a space; write %20)",
        "rtsp://admin:100%@cam/stream | a '%' in the credentials is not followed by two hex digits; "
            + "write %25 for a literal %",
        "synthetic: | SYNTHETIC",
        "synthetic://testsrc | SYNTHETIC",
      })
  void rejects(String url, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(url));
    String expected =
        message
            .replace("SHAPES", SHAPES)
            .replace("BAD_HOST", BAD_HOST)
            .replace("BAD_PORT", BAD_PORT)
            .replace("SYNTHETIC", SYNTHETIC);
    assertEquals(expected, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rtsp://admin:hunter2@cam:99999/stream",
        "rtsp://admin:hunter2@:554/stream",
        "rtsp://admin:hunter2@cam/my stream",
        "rtsp://admin:hunter2%@cam/stream",
        "rtsp://admin:hunter2@cam name/stream",
      })
  void errorsNeverRepeatTheUrl(String url) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(url));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertFalse(e.getMessage().contains("admin"), e.getMessage());
  }
}
