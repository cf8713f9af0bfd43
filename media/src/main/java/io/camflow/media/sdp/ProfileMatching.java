package io.camflow.media.sdp;

/** How strictly the stream's H.264 profile must match what the viewer offers. */
public enum ProfileMatching {
  /**
   * An offered profile whose decoder decodes the stream's profile ({@link H264Profile#decodes}).
   */
  COMPATIBLE,
  /**
   * Any offered H.264 with packetization-mode 1 when no compatible profile is offered. Browsers
   * decode more than they offer (Firefox offers only Constrained Baseline yet plays High), which is
   * why MediaMTX and go2rtc ignore the profile; the player may still fail on a stream it truly
   * cannot decode.
   */
  ANY
}
