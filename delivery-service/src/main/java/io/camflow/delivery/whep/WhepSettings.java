package io.camflow.delivery.whep;

import io.camflow.media.sdp.ProfileMatching;
import java.time.Duration;
import java.util.Map;

/**
 * WebRTC playback settings (docs/webrtc.md); the transport's own (port, extra hosts) are
 * {@code WebRtcTransportSettings}.
 *
 * @param enabled          {@code CAMFLOW_WEBRTC} {@code on} (default) or {@code off}
 * @param startWait        how long an offer waits for a stream's first keyframe (a cold on-demand camera)
 * @param idleStop         a stream without WebRTC viewers this long stops its Kafka consumer
 * @param profileMatching  {@code CAMFLOW_WEBRTC_PROFILES}: {@code compatible} (default: an offered
 *                         H.264 profile must decode the stream's) or {@code any}
 * @param dropRate         {@code CAMFLOW_WEBRTC_TEST_DROP_PERCENT}: outgoing RTP packets dropped on
 *                         purpose, for loss tests only (0 by default)
 * @param nackBudget       {@code CAMFLOW_WEBRTC_NACK_BUDGET_PERCENT}, {@code CAMFLOW_WEBRTC_NACK_FLOOR_KBPS}:
 *                         how many bytes a viewer's NACKs may have sent again
 */
public record WhepSettings(boolean enabled, Duration startWait, Duration idleStop, ProfileMatching profileMatching,
    double dropRate, NackBudget nackBudget) {

  public WhepSettings {
    if (startWait.isNegative() || idleStop.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (dropRate < 0 || dropRate >= 1) {
      throw new IllegalArgumentException("drop rate must be in [0, 1), was " + dropRate);
    }
  }

  public static WhepSettings defaults() {
    return new WhepSettings(true, Duration.ofSeconds(5), Duration.ofSeconds(30), ProfileMatching.COMPATIBLE, 0,
        NackBudget.defaults());
  }

  /** @throws IllegalArgumentException naming the variable and what is wrong */
  public static WhepSettings fromEnvironment(Map<String, String> env) {
    WhepSettings d = defaults();
    boolean enabled = switch (env.getOrDefault("CAMFLOW_WEBRTC", "on").trim().toLowerCase()) {
      case "on", "true", "1" -> true;
      case "off", "false", "0" -> false;
      default -> throw new IllegalArgumentException("CAMFLOW_WEBRTC must be on or off, was '"
          + env.get("CAMFLOW_WEBRTC") + "'");
    };
    ProfileMatching matching = switch (env.getOrDefault("CAMFLOW_WEBRTC_PROFILES", "compatible").trim().toLowerCase()) {
      case "compatible" -> ProfileMatching.COMPATIBLE;
      case "any" -> ProfileMatching.ANY;
      default -> throw new IllegalArgumentException("CAMFLOW_WEBRTC_PROFILES must be compatible or any, was '"
          + env.get("CAMFLOW_WEBRTC_PROFILES") + "'");
    };
    double drop = 0;
    String dropText = env.get("CAMFLOW_WEBRTC_TEST_DROP_PERCENT");
    if (dropText != null && !dropText.isBlank()) {
      try {
        drop = Double.parseDouble(dropText.trim()) / 100;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("CAMFLOW_WEBRTC_TEST_DROP_PERCENT must be a number, was '" + dropText + "'");
      }
      if (drop < 0 || drop >= 0.5) {
        throw new IllegalArgumentException("CAMFLOW_WEBRTC_TEST_DROP_PERCENT must be 0 to 50, was " + dropText);
      }
    }
    NackBudget nack = new NackBudget(
        wholeNumber(env, "CAMFLOW_WEBRTC_NACK_BUDGET_PERCENT", d.nackBudget().percent()),
        wholeNumber(env, "CAMFLOW_WEBRTC_NACK_FLOOR_KBPS", d.nackBudget().floorKbps()));
    return new WhepSettings(enabled, d.startWait(), d.idleStop(), matching, drop, nack);
  }

  public WhepSettings withDropRate(double rate) {
    return new WhepSettings(enabled, startWait, idleStop, profileMatching, rate, nackBudget);
  }

  public WhepSettings withNackBudget(NackBudget budget) {
    return new WhepSettings(enabled, startWait, idleStop, profileMatching, dropRate, budget);
  }

  /** A whole number that fits an int; a bigger one is refused rather than wrapped into range. */
  private static int wholeNumber(Map<String, String> env, String name, int fallback) {
    long v = number(env, name, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " is out of range: " + v);
    }
    return (int) v;
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'");
    }
  }
}
