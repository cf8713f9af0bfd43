package io.camflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CameraRecordFormatTest {

  @Test
  void roundTrip() {
    CameraEntry c =
        new CameraEntry(
            "garage",
            CameraEntry.API,
            List.of(
                new StreamEntry(
                    "main",
                    "rtsp://10.0.0.2/live",
                    "admin",
                    "v1:AAAA",
                    new StreamSettings(
                        Transport.UDP, PullMode.ALWAYS, Duration.ofSeconds(30), null)),
                new StreamEntry(
                    "sub",
                    "rtsp://10.0.0.2/sub",
                    null,
                    null,
                    new StreamSettings(null, null, null, Duration.ofSeconds(5)))),
            "7d");
    assertEquals(c, CameraRecordFormat.decode(CameraRecordFormat.encode(c)));
  }

  @Test
  void tlsSettingsRoundTrip() {
    String pin = "ab".repeat(32);
    CameraEntry c =
        new CameraEntry(
            "garage",
            CameraEntry.API,
            List.of(
                new StreamEntry(
                    "main", "rtsps://10.0.0.2/live", null, null, StreamSettings.UNSET, false, null),
                new StreamEntry(
                    "sub", "rtsps://10.0.0.2/sub", null, null, StreamSettings.UNSET, null, pin)),
            null);
    assertEquals(c, CameraRecordFormat.decode(CameraRecordFormat.encode(c)));
    String json = new String(CameraRecordFormat.encode(c), StandardCharsets.UTF_8);
    assertEquals(
        1, json.split("tlsVerify", -1).length - 1, "an unset tlsVerify is not written: " + json);
  }

  /** A record as camflow wrote it before the settings were typed (durations as the user wrote). */
  @Test
  void recordsWrittenBeforeStillRead() {
    byte[] old =
        ("{\"id\":\"garage\",\"source\":\"api\",\"dvrRetention\":\"7d\",\"streams\":["
                + "{\"name\":\"main\",\"url\":\"rtsps://10.0.0.2/live\",\"username\":\"admin\","
                + "\"password\":\"v1:AAAA\",\"transport\":\"UDP\",\"mode\":\"on-demand\","
                + "\"idleGrace\":\"1.5s\",\"readTimeout\":\"1m30s\",\"tlsVerify\":false},"
                + "{\"name\":\"sub\",\"url\":\"rtsp://10.0.0.2/sub\",\"transport\":null}]}")
            .getBytes(StandardCharsets.UTF_8);
    CameraEntry c = CameraRecordFormat.decode(old);
    StreamEntry main = c.streams().get(0);
    assertEquals(
        new StreamSettings(
            Transport.UDP, PullMode.ON_DEMAND, Duration.ofMillis(1500), Duration.ofSeconds(90)),
        main.settings());
    assertEquals("v1:AAAA", main.sealedPassword());
    assertEquals(Boolean.FALSE, main.tlsVerify());
    assertEquals(StreamSettings.UNSET, c.streams().get(1).settings());
    assertEquals("7d", c.dvrRetention());
    assertNull(c.dvrMaxSize(), "a record from before the size bound has none");
    String again = new String(CameraRecordFormat.encode(c), StandardCharsets.UTF_8);
    assertEquals(c, CameraRecordFormat.decode(again.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aSizeBoundRoundTripsAndIsAbsentWhenUnset() {
    List<StreamEntry> streams =
        List.of(new StreamEntry("main", "rtsp://10.0.0.2/live", null, null, StreamSettings.UNSET));
    CameraEntry bounded = new CameraEntry("garage", CameraEntry.API, streams, "7d", "50GB");
    String json = new String(CameraRecordFormat.encode(bounded), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"dvrMaxSize\":\"50GB\""), json);
    assertEquals(bounded, CameraRecordFormat.decode(json.getBytes(StandardCharsets.UTF_8)));

    CameraEntry unbounded = new CameraEntry("garage", CameraEntry.API, streams, "7d");
    String plain = new String(CameraRecordFormat.encode(unbounded), StandardCharsets.UTF_8);
    assertFalse(plain.contains("dvrMaxSize"), plain);
    assertNull(CameraRecordFormat.decode(plain.getBytes(StandardCharsets.UTF_8)).dvrMaxSize());
  }

  /** A published stream is a name and its source; a pulled one's source is left out, as before. */
  @Test
  void aPublishedStreamRoundTripsBesideAPulledOne() {
    CameraEntry c =
        new CameraEntry(
            "studio",
            CameraEntry.API,
            List.of(
                StreamEntry.published("main"),
                new StreamEntry("sub", "rtsp://10.0.0.2/sub", null, null, StreamSettings.UNSET)),
            null);
    String json = new String(CameraRecordFormat.encode(c), StandardCharsets.UTF_8);
    assertEquals(
        "{\"id\":\"studio\",\"source\":\"api\",\"streams\":[{\"name\":\"main\",\"source\":\"publish\"},"
            + "{\"name\":\"sub\",\"url\":\"rtsp://10.0.0.2/sub\"}]}",
        json);
    CameraEntry back = CameraRecordFormat.decode(json.getBytes(StandardCharsets.UTF_8));
    assertEquals(c, back);
    assertTrue(back.streams().get(0).published());
    assertNull(back.streams().get(0).url());
    assertFalse(back.streams().get(1).published());
    assertEquals(StreamSource.PULL, back.streams().get(1).source());
  }

  /** Records from before streams could be published have no stream source: they are pulled. */
  @Test
  void aStreamWithoutSourceIsPulledAndOneWithPullIsTheSame() {
    byte[] old =
        "{\"id\":\"c\",\"source\":\"file\",\"streams\":[{\"name\":\"m\",\"url\":\"rtsp://h/p\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    StreamEntry m = CameraRecordFormat.decode(old).streams().get(0);
    assertEquals(StreamSource.PULL, m.source());
    assertEquals("rtsp://h/p", m.url());
    byte[] explicit =
        "{\"id\":\"c\",\"source\":\"file\",\"streams\":[{\"name\":\"m\",\"source\":\"pull\",\"url\":\"rtsp://h/p\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(CameraRecordFormat.decode(old), CameraRecordFormat.decode(explicit));
    assertEquals(
        new String(old, StandardCharsets.UTF_8),
        new String(
            CameraRecordFormat.encode(CameraRecordFormat.decode(explicit)), StandardCharsets.UTF_8),
        "written as before");
  }

  @Test
  void aPublishedStreamWithAUrlOrAnUnknownSourceIsNotARecord() {
    byte[] withUrl =
        "{\"id\":\"c\",\"source\":\"api\",\"streams\":[{\"name\":\"m\",\"source\":\"publish\",\"url\":\"rtsp://h/p\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    IllegalArgumentException url =
        assertThrows(IllegalArgumentException.class, () -> CameraRecordFormat.decode(withUrl));
    assertEquals(
        "stream m: a published stream has no url: remove it or set source: pull", url.getMessage());
    byte[] withMode =
        "{\"id\":\"c\",\"source\":\"api\",\"streams\":[{\"name\":\"m\",\"source\":\"publish\",\"mode\":\"always\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    assertThrows(IllegalArgumentException.class, () -> CameraRecordFormat.decode(withMode));
    byte[] unknown =
        "{\"id\":\"c\",\"source\":\"api\",\"streams\":[{\"name\":\"m\",\"source\":\"push\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    IllegalArgumentException source =
        assertThrows(IllegalArgumentException.class, () -> CameraRecordFormat.decode(unknown));
    assertEquals("streams[].source must be pull or publish", source.getMessage());
  }

  @Test
  void aSettingOutsideItsBoundsIsNotARecord() {
    byte[] bad =
        "{\"id\":\"c\",\"source\":\"api\",\"streams\":[{\"name\":\"m\",\"url\":\"rtsp://h/p\",\"transport\":\"pigeon\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    assertThrows(IllegalArgumentException.class, () -> CameraRecordFormat.decode(bad));
  }

  @Test
  void aClearPasswordInARecordIsRefused() {
    byte[] bad =
        "{\"id\":\"c\",\"source\":\"api\",\"streams\":[{\"name\":\"m\",\"url\":\"rtsp://h/p\",\"password\":\"x\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    assertThrows(IllegalArgumentException.class, () -> CameraRecordFormat.decode(bad));
  }

  @Test
  void notARecord() {
    assertThrows(IllegalArgumentException.class, () -> CameraRecordFormat.decode("[1]".getBytes()));
    assertThrows(IllegalArgumentException.class, () -> CameraRecordFormat.decode("{".getBytes()));
  }
}
