package io.camflow.media.hls;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The delivery directives of a playlist request (RFC 8216bis 6.2.5.2, Blocking Playlist Reload):
 * {@code _HLS_msn=M} and optionally {@code _HLS_part=N}, and the pure decision whether the current
 * playlist answers it ({@link #decide}).
 *
 * <p>Delivery holds a {@link Decision#WAIT} request without parking a thread (keep it in a list per
 * stream and re-run {@code decide} whenever the playlist changes), answers it when the decision
 * becomes {@link Decision#READY}, and gives up with 503 after {@link #maxWait} (6.2.5.2: "A Server
 * that cannot provide the requested Playlist after blocking for more than three Target Durations
 * SHOULD return Service Unavailable"). {@link Decision#TOO_FAR_AHEAD} and {@link
 * BadPlaylistRequestException} are answered at once with 400.
 *
 * <p>Other query parameters (such as {@code access_token}) are not looked at. {@code _HLS_skip} is
 * ignored, as 6.2.5.1 requires of a server that does not advertise CAN-SKIP-UNTIL.
 *
 * @param msn the requested Media Sequence Number; empty for an ordinary (non-blocking) request
 * @param part the requested Part Index; present only together with {@code msn}
 */
public record BlockingRequest(OptionalLong msn, OptionalInt part) {

  public static final String MSN_PARAM = "_HLS_msn";
  public static final String PART_PARAM = "_HLS_part";

  /** An ordinary request: no directives, answered at once. */
  public static final BlockingRequest NONE =
      new BlockingRequest(OptionalLong.empty(), OptionalInt.empty());

  /** RFC 8216bis 4.2: a decimal-integer has 1 to 20 characters. */
  private static final int MAX_DIGITS = 20;

  /** What {@link #decide} tells delivery to do with a request. */
  public enum Decision {
    /** The playlist holds what was asked for (or the request does not block): respond now. */
    READY,
    /** Hold the request and decide again when the playlist grows. */
    WAIT,
    /** Asked too far beyond the live edge: respond 400 now (6.2.5.2). */
    TOO_FAR_AHEAD
  }

  public BlockingRequest {
    Objects.requireNonNull(msn, "msn");
    Objects.requireNonNull(part, "part");
    if (part.isPresent() && msn.isEmpty()) {
      throw new BadPlaylistRequestException(
          PART_PARAM + " without " + MSN_PARAM + " (RFC 8216bis 6.2.5.2)");
    }
    if (msn.isPresent() && (msn.getAsLong() < 0 || msn.getAsLong() > HlsNames.MAX_NUMBER)) {
      throw new BadPlaylistRequestException(
          MSN_PARAM + " must be within 0.." + HlsNames.MAX_NUMBER + ", was " + msn.getAsLong());
    }
    if (part.isPresent() && (part.getAsInt() < 0 || part.getAsInt() > HlsNames.MAX_PART_INDEX)) {
      throw new BadPlaylistRequestException(
          PART_PARAM
              + " must be within 0.."
              + HlsNames.MAX_PART_INDEX
              + ", was "
              + part.getAsInt());
    }
  }

  /** A blocking request for segment {@code msn}. */
  public static BlockingRequest of(long msn) {
    return new BlockingRequest(OptionalLong.of(msn), OptionalInt.empty());
  }

  /** A blocking request for part {@code part} of segment {@code msn}. */
  public static BlockingRequest of(long msn, int part) {
    return new BlockingRequest(OptionalLong.of(msn), OptionalInt.of(part));
  }

  /**
   * Reads the directives from decoded query parameters (one value per name). Use {@link
   * #parseMulti} where the HTTP layer keeps repeated parameters, so they can be refused.
   */
  public static BlockingRequest parse(Map<String, String> query) {
    Objects.requireNonNull(query, "query");
    return parse(
        query.get(MSN_PARAM),
        query.containsKey(MSN_PARAM),
        query.get(PART_PARAM),
        query.containsKey(PART_PARAM));
  }

  /**
   * Reads the directives from decoded query parameters that keep every value of a repeated name (as
   * Netty's {@code QueryStringDecoder.parameters()} does); a repeated directive is a 400.
   */
  public static BlockingRequest parseMulti(Map<String, ? extends List<String>> query) {
    Objects.requireNonNull(query, "query");
    return parse(
        single(query, MSN_PARAM),
        query.containsKey(MSN_PARAM),
        single(query, PART_PARAM),
        query.containsKey(PART_PARAM));
  }

  private static String single(Map<String, ? extends List<String>> query, String name) {
    List<String> values = query.get(name);
    if (values == null) {
      return null;
    }
    if (values.size() != 1) {
      throw new BadPlaylistRequestException(
          values.isEmpty()
              ? name + " has no value"
              : name + " is given " + values.size() + " times");
    }
    return values.get(0);
  }

  private static BlockingRequest parse(
      String msnText, boolean hasMsn, String partText, boolean hasPart) {
    if (hasPart && !hasMsn) {
      throw new BadPlaylistRequestException(
          PART_PARAM + " without " + MSN_PARAM + " (RFC 8216bis 6.2.5.2)");
    }
    if (!hasMsn) {
      return NONE;
    }
    long msn = decimalInteger(MSN_PARAM, msnText, HlsNames.MAX_NUMBER);
    if (!hasPart) {
      return new BlockingRequest(OptionalLong.of(msn), OptionalInt.empty());
    }
    long part = decimalInteger(PART_PARAM, partText, HlsNames.MAX_PART_INDEX);
    return new BlockingRequest(OptionalLong.of(msn), OptionalInt.of((int) part));
  }

  /** RFC 8216bis 4.2 decimal-integer: [0-9], 1 to 20 characters; and at most {@code max}. */
  private static long decimalInteger(String name, String text, long max) {
    if (text == null || text.isEmpty()) {
      throw new BadPlaylistRequestException(name + " has no value");
    }
    if (text.length() > MAX_DIGITS) {
      throw new BadPlaylistRequestException(
          name + " is not a decimal-integer: " + text.length() + " characters");
    }
    long value = 0;
    boolean tooLarge = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new BadPlaylistRequestException(
            name + " is not a decimal-integer: '" + printable(text) + "'");
      }
      if (!tooLarge) {
        value = value * 10 + (c - '0');
        tooLarge = value > max;
      }
    }
    if (tooLarge) {
      throw new BadPlaylistRequestException(
          name + " is too large: " + text + " (at most " + max + ")");
    }
    return value;
  }

  /** At most 20 characters of {@code s}, control characters and quotes replaced by '?'. */
  private static String printable(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_DIGITS));
    for (int i = 0; i < s.length() && i < MAX_DIGITS; i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f || c == '\'' || c == '"' || c == '<' || c == '>' ? '?' : c);
    }
    return out.toString();
  }

  /** Whether the request carries {@code _HLS_msn}, i.e. may have to wait. */
  public boolean isBlocking() {
    return msn.isPresent();
  }

  /**
   * Whether {@code playlist} answers this request. Pure: no clock, no state.
   *
   * <ul>
   *   <li>No directives, or the playlist has EXT-X-ENDLIST: {@code READY} (6.2.5.2: "A Server MUST
   *       ignore _HLS_msn and _HLS_part if the Playlist contains an EXT-X-ENDLIST tag").
   *   <li>{@code _HLS_msn} beyond the last complete segment's number plus two, or {@code _HLS_part}
   *       more than the Advance Part Limit beyond the last part: {@code TOO_FAR_AHEAD}.
   *   <li>{@code _HLS_msn=M} alone: {@code READY} once a complete segment M or later is listed.
   *   <li>{@code _HLS_msn=M&_HLS_part=N}: {@code READY} once part N of segment M (or later) is
   *       listed; N past the last part of a complete segment M means part 0 of segment M+1
   *       (6.2.5.2). A segment that has already left the playlist is {@code READY} ("deliver the
   *       entire Playlist, even if ... it is no longer in the Playlist").
   * </ul>
   */
  public Decision decide(MediaPlaylist playlist) {
    Objects.requireNonNull(playlist, "playlist");
    if (msn.isEmpty() || playlist.ended()) {
      return Decision.READY;
    }
    long m = msn.getAsLong();
    long lastMsn = playlist.lastMsn();
    if (m > lastMsn + 2) {
      return Decision.TOO_FAR_AHEAD;
    }
    if (part.isEmpty()) {
      return m <= lastMsn ? Decision.READY : Decision.WAIT;
    }
    long n = part.getAsInt();
    long first = playlist.mediaSequence();
    if (m < first) {
      return Decision.READY;
    }
    // Walk forward through listed segments; a part index past a complete segment's last part is
    // part 0 of the next segment.
    while (true) {
      var segment = playlist.segment(m);
      if (segment.isEmpty()) {
        break;
      }
      int parts = segment.get().parts().size();
      if (n < parts) {
        return Decision.READY;
      }
      if (!segment.get().isComplete()) {
        break; // the segment in progress has not reached part n yet
      }
      m++;
      n = 0;
    }
    long[] lastPart = playlist.lastPartPosition();
    if (lastPart != null) {
      // How many parts past the last listed one the request is. For a later segment the exact
      // count depends on parts not yet made; n + 1 is a lower bound, so nothing legitimate is
      // refused.
      long ahead = m == lastPart[0] ? n - lastPart[1] : n + 1;
      if (ahead > playlist.advancePartLimit()) {
        return Decision.TOO_FAR_AHEAD;
      }
    }
    return Decision.WAIT;
  }

  /**
   * How long delivery may hold a {@link Decision#WAIT} request before answering 503: three target
   * durations (6.2.5.2).
   */
  public static Duration maxWait(MediaPlaylist playlist) {
    return Duration.ofSeconds(3L * playlist.targetDurationSeconds());
  }
}
