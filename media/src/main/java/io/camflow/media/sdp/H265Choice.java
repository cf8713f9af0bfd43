package io.camflow.media.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the offered H.265 payload type for an H.265 stream (RFC 7798 7.2.2). Chrome (136 and later,
 * with hardware decoding) offers {@code level-id=…;profile-id=1|2;tier-flag=0;tx-mode=SRST}, one
 * payload type per profile; Safari offers H.265 with no fmtp at all, which means Main, Main tier,
 * level 3.1 and SRST (RFC 7798 7.1).
 *
 * <p>Chrome takes an answer only if its profile-id, tier-flag and tx-mode equal what it offered
 * (libwebrtc compares those, not the level), so the answer echoes them. The level is the stream's:
 * RFC 7798 lets the sender's level differ from the offer's, and libwebrtc itself answers the lower
 * of the two.
 */
final class H265Choice {

  /** RFC 7798 7.1: {@code level-id} absent means level 3.1. */
  private static final int DEFAULT_LEVEL_ID = 93;

  /** An offered H.265 payload type; {@code levelGiven} whether the offer set level-id. */
  private record Offered(
      int order,
      int payloadType,
      RtpMap rtpMap,
      H265ProfileTierLevel ptl,
      boolean levelGiven,
      boolean txModeGiven) {}

  private H265Choice() {}

  static Negotiator.VideoChoice choose(MediaDescription section, H265ProfileTierLevel stream) {
    List<Offered> offered = new ArrayList<>();
    boolean anyH265 = false;
    List<Integer> payloadTypes = section.payloadTypes();
    for (int order = 0; order < payloadTypes.size(); order++) {
      int pt = payloadTypes.get(order);
      Optional<RtpMap> map = section.rtpMap(pt);
      if (map.isEmpty() || !map.get().is("H265", 90_000)) {
        continue;
      }
      anyH265 = true;
      parse(order, pt, map.get(), section.fmtp(pt)).ifPresent(offered::add);
    }
    if (!anyH265) {
      return new Negotiator.VideoChoice(
          null,
          "the stream is H.265 and this browser offers no H.265 for WebRTC; play it over MSE or HLS");
    }
    Optional<Offered> best =
        offered.stream()
            .filter(o -> decodes(o, stream))
            // the stream's own profile before a wider decoder (Main 10 decodes Main), then offer
            // order
            .min(
                Comparator.comparing((Offered o) -> o.ptl().profileId() != stream.profileId())
                    .thenComparing(Offered::order));
    if (best.isEmpty()) {
      Set<String> seen = new LinkedHashSet<>();
      offered.forEach(o -> seen.add(o.ptl().describe()));
      return new Negotiator.VideoChoice(
          null,
          "the stream is H.265 "
              + stream.describe()
              + " and this browser's H.265 for WebRTC cannot decode it (offered: "
              + (seen.isEmpty() ? "none camflow can send" : String.join("; ", seen))
              + "); play it over MSE or HLS");
    }
    Offered o = best.get();
    return new Negotiator.VideoChoice(
        new ChosenCodec(
            o.payloadType(),
            o.rtpMap(),
            answerFmtp(o, stream),
            Negotiator.feedback(section, o.payloadType())),
        null);
  }

  /**
   * Empty for a payload type camflow cannot send: tx-mode MRST/MRMT need several RTP streams,
   * unparsable numbers are what no one can interpret.
   */
  private static Optional<Offered> parse(int order, int payloadType, RtpMap rtpMap, Fmtp fmtp) {
    if (!fmtp.get("tx-mode", "SRST").equalsIgnoreCase("SRST")) {
      return Optional.empty();
    }
    try {
      H265ProfileTierLevel ptl =
          new H265ProfileTierLevel(
              Integer.parseInt(fmtp.get("profile-id", "1")),
              Integer.parseInt(fmtp.get("tier-flag", "0")),
              Integer.parseInt(fmtp.get("level-id", Integer.toString(DEFAULT_LEVEL_ID))));
      return Optional.of(
          new Offered(
              order,
              payloadType,
              rtpMap,
              ptl,
              fmtp.parameters().containsKey("level-id"),
              fmtp.parameters().containsKey("tx-mode")));
    } catch (IllegalArgumentException malformed) { // NumberFormatException included
      return Optional.empty();
    }
  }

  /**
   * Main 10 decoders decode Main and Main Still Picture, Main decoders Main Still Picture (H.265
   * A.3); a High tier decoder decodes Main tier; the level counts only where the offer gave one
   * (Safari gives none, yet decodes beyond 3.1). A stream not known yet takes any.
   */
  private static boolean decodes(Offered offered, H265ProfileTierLevel stream) {
    if (!stream.known()) {
      return true;
    }
    int o = offered.ptl().profileId();
    int s = stream.profileId();
    boolean profile = o == s || (o == 2 && (s == 1 || s == 3)) || (o == 1 && s == 3);
    boolean tier = stream.tierFlag() <= offered.ptl().tierFlag();
    boolean level =
        !offered.levelGiven()
            || stream.levelId() == 0
            || stream.levelId() <= offered.ptl().levelId();
    return profile && tier && level;
  }

  /**
   * In Chrome's order: level-id, the offered profile-id and tier-flag, tx-mode if it was offered.
   */
  private static String answerFmtp(Offered offered, H265ProfileTierLevel stream) {
    int level = stream.levelId() != 0 ? stream.levelId() : offered.ptl().levelId();
    if (offered.levelGiven()) {
      level = Math.min(level, offered.ptl().levelId());
    }
    return "level-id="
        + level
        + ";profile-id="
        + offered.ptl().profileId()
        + ";tier-flag="
        + offered.ptl().tierFlag()
        + (offered.txModeGiven() ? ";tx-mode=SRST" : "");
  }
}
