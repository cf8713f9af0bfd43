package io.camflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
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
                    "udp",
                    "always",
                    "30s",
                    null),
                new StreamEntry("sub", "rtsp://10.0.0.2/sub", null, null, null, null, null, "5s")),
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
                    "main",
                    "rtsps://10.0.0.2/live",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false,
                    null),
                new StreamEntry(
                    "sub", "rtsps://10.0.0.2/sub", null, null, null, null, null, null, null, pin)),
            null);
    assertEquals(c, CameraRecordFormat.decode(CameraRecordFormat.encode(c)));
    String json = new String(CameraRecordFormat.encode(c), StandardCharsets.UTF_8);
    assertEquals(
        1, json.split("tlsVerify", -1).length - 1, "an unset tlsVerify is not written: " + json);
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
