package io.camflow.delivery.rtsp;

import io.camflow.delivery.publish.PublishedTrack;
import io.camflow.media.Codec;
import io.camflow.media.sdp.Attribute;
import io.camflow.media.sdp.Fmtp;
import io.camflow.media.sdp.MediaDescription;
import io.camflow.media.sdp.RtpMap;
import io.camflow.media.sdp.SessionDescription;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a publisher's {@code ANNOUNCE} describes (its SDP, RFC 2326 C.1): one track per media
 * section, with the control name its {@code SETUP} will use. Taken: H.264 (RFC 6184, {@code
 * sprop-parameter-sets}) and H.265 (RFC 7798, {@code sprop-vps/sps/pps}) video, AAC as RFC 3640
 * {@code AAC-hbr} ({@code config=}) and G.711 audio. A stream needs exactly one video track; an
 * audio track of another codec is set up but not recorded ({@link Track#kept()} false).
 *
 * @param tracks in the description's order
 */
record AnnouncedStream(List<Track> tracks) {

  /**
   * One media section.
   *
   * @param control its {@code a=control} (the last segment of a URL), {@code trackID=<n>} when it
   *     names none
   * @param track what is recorded of it, null when it is not ({@link #ignored} says why)
   * @param ignored why it is not recorded, null when it is
   */
  record Track(String control, PublishedTrack track, String ignored) {
    boolean kept() {
      return track != null;
    }
  }

  /** The track a SETUP's control names, or empty. */
  Optional<Integer> indexOf(String control) {
    for (int i = 0; i < tracks.size(); i++) {
      if (tracks.get(i).control().equals(control)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** The tracks that are recorded, numbered in order ({@link PublishedTrack#index()}). */
  List<PublishedTrack> kept() {
    return tracks.stream().filter(Track::kept).map(Track::track).toList();
  }

  /**
   * Reads a description.
   *
   * @throws IllegalArgumentException saying what is wrong, for the client (no SDP, no video, a
   *     video codec camflow does not carry, a malformed parameter)
   */
  static AnnouncedStream parse(String sdp) {
    SessionDescription session = SessionDescription.parse(sdp);
    List<Track> tracks = new ArrayList<>();
    int kept = 0;
    int videos = 0;
    for (MediaDescription m : session.media()) {
      String control = control(m, tracks.size());
      boolean video = m.media().equalsIgnoreCase("video");
      if (!video && !m.media().equalsIgnoreCase("audio")) {
        tracks.add(new Track(control, null, m.media() + " is not recorded"));
        continue;
      }
      List<Integer> types = m.payloadTypes();
      Optional<RtpMap> map = types.isEmpty() ? Optional.empty() : m.rtpMap(types.get(0));
      if (map.isEmpty()) {
        throw new IllegalArgumentException(
            "the " + m.media() + " section has no payload type with an a=rtpmap");
      }
      RtpMap rtp = map.get();
      Fmtp fmtp = m.fmtp(rtp.payloadType());
      String encoding = rtp.encodingName().toUpperCase(Locale.ROOT);
      if (video) {
        Codec codec =
            switch (encoding) {
              case "H264" -> Codec.H264;
              case "H265" -> Codec.H265;
              default ->
                  throw new IllegalArgumentException(
                      "the video is "
                          + rtp.encodingName()
                          + "; camflow takes H.264 or H.265 (ffmpeg: -c:v libx264)");
            };
        if (codec == Codec.H265 && !fmtp.get("sprop-max-don-diff", "0").trim().equals("0")) {
          throw new IllegalArgumentException(
              "H.265 with decoding order numbers (sprop-max-don-diff > 0) is not taken");
        }
        if (++videos > 1) {
          throw new IllegalArgumentException("one video track per stream; this has more");
        }
        tracks.add(
            new Track(
                control,
                new PublishedTrack(kept++, codec, rtp.clockRate(), 0, parameterSets(codec, fmtp)),
                null));
        continue;
      }
      Optional<PublishedTrack> audio = audio(kept, encoding, rtp, fmtp);
      if (audio.isPresent()) {
        kept++;
        tracks.add(new Track(control, audio.get(), null));
      } else {
        tracks.add(
            new Track(
                control,
                null,
                rtp.encodingName() + " audio is not recorded (camflow keeps AAC and G.711)"));
      }
    }
    if (videos == 0) {
      throw new IllegalArgumentException("the stream has no video track (H.264 or H.265)");
    }
    return new AnnouncedStream(List.copyOf(tracks));
  }

  private static Optional<PublishedTrack> audio(int index, String encoding, RtpMap rtp, Fmtp f) {
    int channels = Math.max(1, rtp.channels());
    return switch (encoding) {
      case "PCMU" -> Optional.of(new PublishedTrack(index, Codec.PCMU, 8000, channels, null));
      case "PCMA" -> Optional.of(new PublishedTrack(index, Codec.PCMA, 8000, channels, null));
      case "MPEG4-GENERIC" -> {
        boolean hbr =
            f.get("mode", "").equalsIgnoreCase("AAC-hbr")
                && f.get("sizelength", "").equals("13")
                && f.get("indexlength", "").equals("3")
                && f.get("indexdeltalength", "").equals("3");
        String config = f.get("config", "");
        if (!hbr || config.isEmpty()) {
          yield Optional.empty();
        }
        try {
          yield Optional.of(
              new PublishedTrack(
                  index, Codec.AAC, rtp.clockRate(), channels, HexFormat.of().parseHex(config)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("the AAC config= is not hexadecimal");
        }
      }
      default -> Optional.empty();
    };
  }

  /** The parameter sets the fmtp names, as Annex B; empty when it names none. */
  private static byte[] parameterSets(Codec codec, Fmtp f) {
    List<String> lists =
        codec == Codec.H264
            ? List.of(f.get("sprop-parameter-sets", ""))
            : List.of(f.get("sprop-vps", ""), f.get("sprop-sps", ""), f.get("sprop-pps", ""));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String list : lists) {
      for (String set : list.split(",")) {
        if (set.isBlank()) {
          continue;
        }
        try {
          out.writeBytes(new byte[] {0, 0, 0, 1});
          out.writeBytes(Base64.getDecoder().decode(set.trim()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("a sprop parameter set is not base64");
        }
      }
    }
    return out.toByteArray();
  }

  /** The section's control name: the last path segment of its a=control. */
  private static String control(MediaDescription m, int position) {
    for (Attribute a : m.attributes()) {
      if (a.name().equals("control") && a.value() != null && !a.value().isBlank()) {
        String v = a.value().trim();
        int q = v.indexOf('?');
        v = q < 0 ? v : v.substring(0, q);
        return v.substring(v.lastIndexOf('/') + 1);
      }
    }
    return RtspUrl.TRACK + position;
  }
}
