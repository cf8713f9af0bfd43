package io.camflow.media.sdp;

/** What the answer says to one offered media section, in offer order. */
public sealed interface SectionAnswer {

  int index();

  MediaDescription offered();

  /** camflow sends this section's media with {@code codec}. */
  record Accepted(int index, MediaDescription offered, ChosenCodec codec)
      implements SectionAnswer {}

  /** Answered with port 0 (RFC 3264 6); {@code reason} is for logs and error responses. */
  record Rejected(int index, MediaDescription offered, String reason) implements SectionAnswer {}
}
