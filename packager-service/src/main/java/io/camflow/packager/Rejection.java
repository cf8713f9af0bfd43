package io.camflow.packager;

/**
 * Why the packager left an access unit out of a stream's CMAF output: the {@code reason} of {@code
 * camflow_packager_rejected_access_units_total} and of the log line written the first time it
 * happens to a stream (docs/operations.md lists them).
 */
enum Rejection {

  /** Not a loss: a taken-over stream's consumer starts before what the last packager committed. */
  ALREADY_PACKAGED(
      "already-packaged",
      false,
      "packaged before by this stream's previous packager (a restart or a take-over redelivers a few records)"),
  NOT_A_MEDIA_RECORD(
      "not-a-media-record",
      true,
      "the record lacks the media record headers or they do not parse (docs/record-format.md)"),
  MALFORMED(
      "malformed",
      true,
      "the access unit makes no sample: no data, a video access unit without a NAL unit to keep, or timestamps"
          + " an fMP4 track cannot hold (below 0)"),
  BEFORE_FIRST_KEYFRAME(
      "before-first-keyframe",
      true,
      "video of a camera session before its first keyframe: nothing before it decodes"),
  NO_PARAMETER_SETS(
      "no-parameter-sets",
      true,
      "a keyframe without usable parameter sets, and the session has no init segment yet to fall back on"),
  TIMESTAMPS_WENT_BACK(
      "timestamps-went-back",
      true,
      "video whose timestamps went backwards (or changed clock) within a camera session: the segment was"
          + " closed and video waits for the next keyframe"),
  AUDIO_BEFORE_VIDEO(
      "audio-before-video", true, "audio of a camera session whose video has not started"),
  AUDIO_BEFORE_INIT(
      "audio-before-init",
      true,
      "audio not in the init segment yet: the track joins with a new init segment at the next video keyframe"),
  UNSUPPORTED_AUDIO(
      "unsupported-audio",
      true,
      "an audio codec or configuration the packager cannot carry in fMP4 (the video goes on alone)"),
  TRANSCODING_FAILED(
      "transcoding-failed",
      true,
      "the G.711 to AAC transcoder (FFmpeg) failed on the frame; a new one starts with the next frame");

  private final String tag;
  private final boolean loss;
  private final String why;

  Rejection(String tag, boolean loss, String why) {
    this.tag = tag;
    this.loss = loss;
    this.why = why;
  }

  /** The meter's {@code reason} tag. */
  String tag() {
    return tag;
  }

  /** Whether viewers miss something (logged as a warning) or not (logged as information). */
  boolean loss() {
    return loss;
  }

  /** What happened and what follows from it, for the log. */
  String why() {
    return why;
  }
}
