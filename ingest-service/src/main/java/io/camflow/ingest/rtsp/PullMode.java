package io.camflow.ingest.rtsp;

import java.util.Locale;

/** When a stream is pulled from its camera. */
public enum PullMode {
  /** Continuously, whether or not anyone watches (needed for DVR). */
  ALWAYS,
  /** Only while viewer demand heartbeats arrive, closing after the idle grace. */
  ON_DEMAND;

  /** Accepts {@code always} and {@code on-demand} (any case, '-' or '_'). */
  public static PullMode fromString(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
