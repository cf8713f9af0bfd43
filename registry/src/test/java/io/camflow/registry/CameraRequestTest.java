package io.camflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.options.Durations;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CameraRequestTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static CameraDraft parse(String body, String pathId) throws Exception {
    return CameraRequest.parse(JSON.readTree(body), pathId);
  }

  static Map<String, String> errors(String body, String pathId) throws Exception {
    InvalidCameraException e =
        assertThrows(InvalidCameraException.class, () -> parse(body, pathId));
    return e.errors().stream()
        .collect(Collectors.toMap(FieldError::field, FieldError::message, (a, b) -> a + "; " + b));
  }

  @Test
  void aValidCamera() throws Exception {
    CameraDraft d =
        parse(
            """
        {"id":"garage","dvrRetention":"2d","streams":[
          {"name":"main","url":"rtsp://cam.local:554/live","username":"admin","password":"pw","transport":"UDP",
           "mode":"always","idleGrace":"30s","readTimeout":"5s"},
          {"name":"sub","url":"rtsps://[fe80::1]/sub","state":"streaming","urls":{}}]}""",
            null);
    CameraEntry c = d.entry();
    assertEquals("garage", c.id());
    assertEquals(CameraEntry.API, c.source());
    assertEquals("2d", c.dvrRetention());
    assertEquals(Transport.UDP, c.streams().get(0).settings().transport());
    assertEquals(PullMode.ALWAYS, c.streams().get(0).settings().mode());
    assertEquals(java.time.Duration.ofSeconds(30), c.streams().get(0).settings().idleGrace());
    assertEquals(StreamSettings.UNSET, c.streams().get(1).settings());
    assertNull(c.streams().get(0).sealedPassword(), "the draft holds no password in its entry");
    assertEquals(Map.of("main", "pw"), d.passwords());
    assertFalse(d.toString().contains("pw\""));
  }

  @Test
  void rtspsStreamsMayPinACertificateOrOptOutOfVerification() throws Exception {
    String pin =
        "3F:9A:1C:77:0B:2E:54:D1:88:C2:6A:90:1E:4F:B3:07:5D:E8:21:9C:46:FA:0D:83:B5:17:6E:C9:32:A4:58:E0";
    CameraDraft d =
        parse(
            """
        {"id":"garage","streams":[
          {"name":"main","url":"rtsps://cam.local/live","tlsFingerprint":"%s"},
          {"name":"sub","url":"RTSPS://cam.local/sub","tlsVerify":false},
          {"name":"third","url":"rtsps://cam.local/third","tlsVerify":null,"tlsFingerprint":null}]}"""
                .formatted(pin),
            null);
    List<StreamEntry> s = d.entry().streams();
    assertEquals(pin.replace(":", "").toLowerCase(), s.get(0).tlsFingerprint());
    assertNull(s.get(0).tlsVerify());
    assertEquals(Boolean.FALSE, s.get(1).tlsVerify());
    assertNull(s.get(2).tlsVerify());
    assertNull(s.get(2).tlsFingerprint());
  }

  @Test
  void tlsSettingsAreCheckedAndBelongToRtsps() throws Exception {
    Map<String, String> e =
        errors(
            """
        {"id":"garage","streams":[
          {"name":"a","url":"rtsp://cam.local/live","tlsVerify":false},
          {"name":"b","url":"rtsps://cam.local/live","tlsVerify":"no"},
          {"name":"c","url":"rtsps://cam.local/live","tlsFingerprint":"abc"},
          {"name":"d","url":"rtsps://cam.local/live","tlsVerify":false,"tlsFingerprint":"%s"}]}"""
                .formatted("0".repeat(64)),
            null);
    assertEquals(
        Map.of(
            "streams[0].tlsVerify", "applies to rtsps:// URLs only",
            "streams[1].tlsVerify", "must be true, false or null",
            "streams[2].tlsFingerprint",
                "must be a SHA-256 fingerprint: 64 hex digits, optionally in pairs separated by ':'",
            "streams[3].tlsVerify",
                "false accepts any certificate; a tlsFingerprint would be ignored (remove one of them)"),
        e);
  }

  /** docs/api.md: a client may send back what a GET gave it; the read-only fields are ignored. */
  @Test
  void whatAGetReturnsIsAcceptedBack() throws Exception {
    CameraDraft d =
        parse(
            """
        {"id":"garage","source":"api","streams":[
          {"name":"main","url":"rtsp://cam.local/live","username":"u","transport":"tcp","mode":"always",
           "state":"streaming","lastError":null,"since":"2026-11-21T12:00:00Z","codec":"h264",
           "codecString":"avc1.64001f","width":1280,"height":720,"fps":25,"bitrateKbps":2000,
           "urls":{"hls":"/live/garage/main/index.m3u8","mse":"/live/garage/main/mse"},"passwordSet":true}]}""",
            "garage");
    assertEquals("garage", d.entry().id());
    assertEquals("rtsp://cam.local/live", d.entry().streams().get(0).url());
  }

  @Test
  void aPublishedStreamHasANameAndNothingToPullWith() throws Exception {
    CameraDraft d =
        parse(
            """
        {"id":"studio","streams":[
          {"name":"main","source":"publish","password":"","state":"streaming","urls":{}},
          {"name":"sub","source":"pull","url":"rtsp://cam.local/sub"},
          {"name":"third","url":"rtsp://cam.local/third"}]}""",
            null);
    List<StreamEntry> s = d.entry().streams();
    assertEquals(StreamEntry.published("main"), s.get(0));
    assertTrue(s.get(0).published());
    assertEquals(StreamSource.PULL, s.get(1).source());
    assertEquals(StreamSource.PULL, s.get(2).source());
    assertEquals(Map.of(), d.passwords());
  }

  @Test
  void aPublishedStreamNamesEveryFieldOfAPulledOneItHas() throws Exception {
    Map<String, String> e =
        errors(
            """
        {"id":"studio","streams":[
          {"name":"main","source":"publish","url":"rtsp://cam.local/live","username":"u",
           "password":"p","mode":"always","idleGrace":"5s","readTimeout":"5s","transport":"tcp",
           "tlsVerify":false,"tlsFingerprint":null}]}""",
            null);
    Map<String, String> expected = new java.util.HashMap<>();
    for (String f :
        List.of(
            "url",
            "username",
            "password",
            "mode",
            "idleGrace",
            "readTimeout",
            "transport",
            "tlsVerify")) {
      expected.put(
          "streams[0]." + f, "a published stream has no " + f + ": remove it or set source: pull");
    }
    assertEquals(expected, e);
  }

  @Test
  void anUnknownSourceListsPullAndPublish() throws Exception {
    assertEquals(
        Map.of("streams[0].source", "must be pull or publish"),
        errors("{\"id\":\"studio\",\"streams\":[{\"name\":\"main\",\"source\":\"push\"}]}", null),
        "no url is asked for: a published stream may have been meant");
    assertEquals(
        Map.of("streams[0].source", "must be a string"),
        errors(
            "{\"id\":\"studio\",\"streams\":[{\"name\":\"main\",\"source\":1,\"url\":\"rtsp://c/l\"}]}",
            null));
    assertEquals(
        Map.of("streams[0].url", "is required"),
        errors("{\"id\":\"studio\",\"streams\":[{\"name\":\"main\",\"source\":\"pull\"}]}", null));
  }

  @Test
  void everyBadFieldIsNamed() throws Exception {
    Map<String, String> e =
        errors(
            """
        {"id":"Bad Id","dvrRetention":"10","colour":"red","streams":[
          {"name":"main","url":"http://x/y","mode":"sometimes","transport":"carrier-pigeon","idleGrace":"2d",
           "readTimeout":"1ms"},
          {"name":"main","url":"rtsp://user:hunter2@cam/x","password":"p"},
          {"url":"rtsp://cam:99999/x"}]}""",
            null);
    assertEquals(
        Set.of(
            "id",
            "dvrRetention",
            "colour",
            "streams[0].url",
            "streams[0].mode",
            "streams[0].transport",
            "streams[0].idleGrace",
            "streams[0].readTimeout",
            "streams[1].url",
            "streams[1].password",
            "streams[2].name",
            "streams[2].url"),
        e.keySet(),
        e.toString());
    assertTrue(e.get("streams[1].url").contains("credentials"));
    assertFalse(e.toString().contains("hunter2"), "no message repeats a password");
  }

  @Test
  void aCameraMayBoundItsRecordingBySize() throws Exception {
    String streams = "\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://cam/x\"}]";
    CameraEntry bounded =
        parse("{\"id\":\"garage\",\"dvrMaxSize\":\" 50GB \"," + streams + "}", null).entry();
    assertEquals("50GB", bounded.dvrMaxSize(), "stored as written, blanks removed");
    assertNull(parse("{\"id\":\"garage\"," + streams + "}", null).entry().dvrMaxSize());
    assertNull(
        parse("{\"id\":\"garage\",\"dvrMaxSize\":null," + streams + "}", null).entry().dvrMaxSize(),
        "null: unbounded");

    assertEquals(
        Map.of("dvrMaxSize", "must be between 100MB and 1PB"),
        errors("{\"id\":\"garage\",\"dvrMaxSize\":\"10MB\"," + streams + "}", null));
    assertEquals(
        Map.of(
            "dvrMaxSize",
            "has an unknown unit 'gb' (did you mean 'GB'?); units: B, KB, MB, GB, TB, PB, KiB, MiB,"
                + " GiB, TiB or PiB"),
        errors("{\"id\":\"garage\",\"dvrMaxSize\":\"50gb\"," + streams + "}", null));
    assertEquals(
        Map.of("dvrMaxSize", "must be a string"),
        errors("{\"id\":\"garage\",\"dvrMaxSize\":50000000000," + streams + "}", null));
  }

  @Test
  void duplicateStreamNames() throws Exception {
    Map<String, String> e =
        errors(
            "{\"id\":\"c\",\"streams\":[{\"name\":\"a\",\"url\":\"rtsp://h/p\"},"
                + "{\"name\":\"a\",\"url\":\"rtsp://h/q\"}]}",
            null);
    assertEquals(Set.of("streams[1].name"), e.keySet());
  }

  @Test
  void streamsAreRequired() throws Exception {
    assertEquals(Set.of("id", "streams"), errors("{}", null).keySet());
    assertEquals(Set.of("streams"), errors("{\"id\":\"c\",\"streams\":[]}", null).keySet());
    assertEquals(Set.of(""), errors("[]", null).keySet());
  }

  @Test
  void putTakesTheIdFromThePath() throws Exception {
    assertEquals(
        "cam",
        parse("{\"streams\":[{\"name\":\"a\",\"url\":\"rtsp://h/p\"}]}", "cam").entry().id());
    assertEquals(
        Set.of("id"),
        errors("{\"id\":\"other\",\"streams\":[{\"name\":\"a\",\"url\":\"rtsp://h/p\"}]}", "cam")
            .keySet());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rtsp://h",
        "rtsp://h:554/a/b?c=d",
        "RTSP://h/x",
        "rtsps://10.0.0.1:322/x",
        "rtsp://[::1]:554/x"
      })
  void goodUrls(String url) {
    assertNull(StreamRules.urlProblem(url), url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "synthetic:testsrc",
        "http://h/x",
        "rtsp:h/x",
        "rtsp:///x",
        "rtsp://h:0/x",
        "rtsp://h:x/y",
        "rtsp://u@h/x",
        "rtsp://h h/x",
        "rtsp://h/a b",
        ""
      })
  void badUrls(String url) {
    assertTrue(StreamRules.urlProblem(url) != null, url);
  }

  @Test
  void durations() {
    assertEquals(java.time.Duration.ofMillis(5_400_000), Durations.parse("1h30m"));
    assertEquals(java.time.Duration.ofMillis(1500), Durations.parse("1.5s"));
    for (String bad : List.of("", "10", "-1s", "PT10S", "1.0005s", "10 s", "36501d")) {
      assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
    }
  }
}
