package io.camflow.media.sdp;

import java.util.regex.Pattern;

/**
 * How the answer names what camflow sends: one MediaStream ({@code msid}) with a video and an audio
 * track, their SSRCs and the RTCP CNAME. The SSRC lines let the player demultiplex the bundled
 * tracks without RTP header extensions.
 */
public record LocalTracks(String streamId, long videoSsrc, long audioSsrc, String cname) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

  public LocalTracks {
    for (String id : new String[] {streamId, cname}) {
      if (id == null || !ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "stream id and cname must be 1..64 of A-Z a-z 0-9 _ . -, was '" + id + "'");
      }
    }
    if (videoSsrc < 0
        || videoSsrc > 0xFFFF_FFFFL
        || audioSsrc < 0
        || audioSsrc > 0xFFFF_FFFFL
        || videoSsrc == audioSsrc) {
      throw new IllegalArgumentException("SSRCs must be distinct 32-bit values");
    }
  }
}
