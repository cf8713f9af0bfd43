package io.camflow.delivery.play;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.picture.PictureStream;
import io.camflow.picture.BadPictureRequestException;
import io.camflow.picture.PictureFormat;
import io.camflow.picture.PictureSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The frames socket's settings: from the query at the upgrade, then from settings messages. */
class FramesSettingsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theQueryGivesTheFirstSettings() {
    PictureStream.Rendition r =
        FramesDoor.rendition(
            Map.of("fps", List.of("0.5"), "width", List.of("320"), "format", List.of("webp")));
    assertEquals(0.5, r.fps());
    assertEquals(new PictureSpec(PictureFormat.WEBP, 320, 0, 80), r.spec());
    PictureStream.Rendition plain = FramesDoor.rendition(Map.of());
    assertEquals(2, plain.fps(), "two a second unless asked");
    assertEquals(PictureFormat.JPEG, plain.spec().format());
    assertThrows(
        IllegalArgumentException.class,
        () -> FramesDoor.rendition(Map.of("format", List.of("png"))));
    assertThrows(
        BadPictureRequestException.class, () -> FramesDoor.rendition(Map.of("fps", List.of("11"))));
  }

  @Test
  void aSettingsMessageChangesWhatItNamesOnly() throws Exception {
    PictureStream.Rendition r =
        new PictureStream.Rendition(new PictureSpec(PictureFormat.JPEG, 320, 0, 80), 2);
    PictureStream.Rendition changed =
        FramesViewer.changed(
            r, JSON.readTree("{\"type\":\"settings\",\"fps\":1,\"format\":\"webp\"}"));
    assertEquals(1, changed.fps());
    assertEquals(new PictureSpec(PictureFormat.WEBP, 320, 0, 80), changed.spec());
    String echoed = FramesViewer.settings(changed);
    assertTrue(echoed.contains("\"format\":\"webp\"") && echoed.contains("\"width\":320"), echoed);
  }

  @Test
  void badSettingsAreNamed() {
    PictureStream.Rendition r =
        new PictureStream.Rendition(new PictureSpec(PictureFormat.JPEG, 320, 0, 80), 2);
    assertEquals("fps must be 0.017 to 10.0, was 99.0", message(r, "{\"fps\":99}"));
    assertEquals("width must be a whole number", message(r, "{\"width\":\"wide\"}"));
    assertEquals("width must be 16 to 7680, was 4", message(r, "{\"width\":4}"));
    assertEquals("format must be jpeg or webp", message(r, "{\"format\":\"gif\"}"));
    assertEquals("fps must be a number", message(r, "{\"fps\":\"fast\"}"));
  }

  private static String message(PictureStream.Rendition r, String json) {
    return assertThrows(
            BadPictureRequestException.class, () -> FramesViewer.changed(r, JSON.readTree(json)))
        .getMessage();
  }
}
