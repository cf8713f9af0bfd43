package io.camflow.media.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The offers under {@code src/test/resources/sdp} (see the README there for where each comes from).
 */
final class Offers {

  static final String CHROMIUM_VIDEO_AUDIO = "chromium-video-audio.sdp";
  static final String CHROMIUM_VIDEO_ONLY = "chromium-video-only.sdp";
  static final String CHROMIUM_AUDIO_FIRST = "chromium-audio-first.sdp";
  static final String CHROMIUM_DATACHANNEL = "chromium-datachannel.sdp";
  static final String CHROMIUM_MAX_BUNDLE = "chromium-h264-max-bundle.sdp";
  static final String FIREFOX = "firefox-style.sdp";
  static final String WHEP_PLAYER = "whep-player-style.sdp";
  static final String CHROMIUM_H265 = "chromium-h265-hardware.sdp";
  static final String SAFARI = "safari-style.sdp";

  static final List<String> ALL =
      List.of(
          CHROMIUM_VIDEO_AUDIO,
          CHROMIUM_VIDEO_ONLY,
          CHROMIUM_AUDIO_FIRST,
          CHROMIUM_DATACHANNEL,
          CHROMIUM_MAX_BUNDLE,
          FIREFOX,
          WHEP_PLAYER,
          CHROMIUM_H265,
          SAFARI);

  private Offers() {}

  static String text(String name) {
    try (InputStream in = Offers.class.getResourceAsStream("/sdp/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource sdp/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SessionDescription parse(String name) {
    return SessionDescription.parse(text(name));
  }
}
