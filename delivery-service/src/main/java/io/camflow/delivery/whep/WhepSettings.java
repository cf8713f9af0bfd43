package io.camflow.delivery.whep;

import io.camflow.media.sdp.ProfileMatching;
import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.time.Duration;

/**
 * WebRTC playback settings (docs/webrtc.md); the transport's own (port, extra hosts) are {@code
 * WebRtcTransportSettings}.
 *
 * @param enabled {@code CAMFLOW_WEBRTC} {@code on} (default) or {@code off}
 * @param startWait how long an offer waits for a stream's first keyframe (a cold on-demand camera)
 * @param profileMatching {@code CAMFLOW_WEBRTC_PROFILES}: {@code compatible} (default: an offered
 *     H.264 profile must decode the stream's) or {@code any}
 * @param dropRate {@code CAMFLOW_WEBRTC_TEST_DROP_PERCENT}: outgoing RTP packets dropped on
 *     purpose, for loss tests only (0 by default)
 * @param nackBudget {@code CAMFLOW_WEBRTC_NACK_BUDGET_PERCENT}, {@code
 *     CAMFLOW_WEBRTC_NACK_FLOOR_KBPS}: how many bytes a viewer's NACKs may have sent again
 */
public record WhepSettings(
    boolean enabled,
    Duration startWait,
    ProfileMatching profileMatching,
    double dropRate,
    NackBudget nackBudget) {

  public WhepSettings {
    if (startWait.isNegative()) {
      throw new IllegalArgumentException("the start wait must not be negative");
    }
    if (dropRate < 0 || dropRate >= 1) {
      throw new IllegalArgumentException("drop rate must be in [0, 1), was " + dropRate);
    }
  }

  public static WhepSettings defaults() {
    return new WhepSettings(
        true, Duration.ofSeconds(5), ProfileMatching.COMPATIBLE, 0, NackBudget.defaults());
  }

  /** {@code webrtc.enabled}, {@code webrtc.profiles}, the NACK budget and the test drop rate. */
  public static WhepSettings from(Settings settings) {
    WhepSettings d = defaults();
    ProfileMatching matching =
        settings.get(CamflowOptions.WEBRTC_PROFILES).equals("any")
            ? ProfileMatching.ANY
            : ProfileMatching.COMPATIBLE;
    NackBudget nack =
        new NackBudget(
            settings.get(CamflowOptions.WEBRTC_NACK_BUDGET_PERCENT),
            settings.get(CamflowOptions.WEBRTC_NACK_FLOOR_KBPS));
    return new WhepSettings(
        settings.get(CamflowOptions.WEBRTC),
        d.startWait(),
        matching,
        settings.get(CamflowOptions.WEBRTC_TEST_DROP_PERCENT) / 100,
        nack);
  }

  public WhepSettings withDropRate(double rate) {
    return new WhepSettings(enabled, startWait, profileMatching, rate, nackBudget);
  }

  public WhepSettings withNackBudget(NackBudget budget) {
    return new WhepSettings(enabled, startWait, profileMatching, dropRate, budget);
  }
}
