package io.camflow.media.hls;

import java.util.Optional;

/**
 * The names of the LL-HLS resources of one stream, all directly under {@code
 * /live/<camera>/<stream>/} and referenced from the playlist by relative URI:
 *
 * <pre>
 *   index.m3u8               the media playlist (LL-HLS, plays as plain HLS too)
 *   init-&lt;n&gt;.mp4             init segment of source session n (new on reconnect / codec change)
 *   seg-&lt;msn&gt;.m4s            complete Media Segment with Media Sequence Number msn
 *   part-&lt;msn&gt;.&lt;i&gt;.m4s       Partial Segment i (0-based Part Index) of segment msn
 * </pre>
 *
 * <p>Numbers are plain decimal without sign or leading zeros ({@code 0} itself is fine); msn and n
 * are at most {@link #MAX_NUMBER}, a part index at most {@link #MAX_PART_INDEX}. {@link #parse}
 * accepts exactly the names the formatters produce and nothing else: no other case, no extra dots,
 * no percent-encoding, no slashes, no {@code ..}. It only looks at the string; it never touches a
 * file system.
 */
public final class HlsNames {

  /** Largest media sequence number or init number we emit or accept: 10^12. */
  public static final long MAX_NUMBER = 1_000_000_000_000L;

  /** Largest part index we emit or accept (a 20 s GOP at 200 ms parts is 100 parts). */
  public static final int MAX_PART_INDEX = 9_999;

  public static final String PLAYLIST = "index.m3u8";

  /** RFC 8216bis 4: the playlist's Content-Type. */
  public static final String PLAYLIST_CONTENT_TYPE = "application/vnd.apple.mpegurl";

  /** Content-Type of init segments, segments and parts (fMP4/CMAF). */
  public static final String MEDIA_CONTENT_TYPE = "video/mp4";

  private static final String INIT_PREFIX = "init-";
  private static final String INIT_SUFFIX = ".mp4";
  private static final String SEGMENT_PREFIX = "seg-";
  private static final String PART_PREFIX = "part-";
  private static final String MEDIA_SUFFIX = ".m4s";

  /** Longer than any valid name: "part-" + 13 digits + "." + 4 digits + ".m4s". */
  private static final int MAX_NAME_LENGTH = 32;

  private HlsNames() {}

  public static String playlist() {
    return PLAYLIST;
  }

  public static String init(long number) {
    return INIT_PREFIX + requireNumber("init number", number) + INIT_SUFFIX;
  }

  public static String segment(long msn) {
    return SEGMENT_PREFIX + requireNumber("media sequence number", msn) + MEDIA_SUFFIX;
  }

  public static String part(long msn, int index) {
    return PART_PREFIX
        + requireNumber("media sequence number", msn)
        + '.'
        + requirePartIndex(index)
        + MEDIA_SUFFIX;
  }

  /**
   * The resource a request names, or empty if the name is not one we serve. {@code name} is the
   * last path segment exactly as received (before any percent-decoding), without query string.
   */
  public static Optional<HlsResource> parse(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return Optional.empty();
    }
    if (name.equals(PLAYLIST)) {
      return Optional.of(HlsResource.PLAYLIST);
    }
    if (name.startsWith(INIT_PREFIX) && name.endsWith(INIT_SUFFIX)) {
      long n = number(name, INIT_PREFIX.length(), name.length() - INIT_SUFFIX.length(), MAX_NUMBER);
      return n < 0 ? Optional.empty() : Optional.of(new HlsResource.Init(n));
    }
    if (name.startsWith(SEGMENT_PREFIX) && name.endsWith(MEDIA_SUFFIX)) {
      long msn =
          number(name, SEGMENT_PREFIX.length(), name.length() - MEDIA_SUFFIX.length(), MAX_NUMBER);
      return msn < 0 ? Optional.empty() : Optional.of(new HlsResource.Segment(msn));
    }
    if (name.startsWith(PART_PREFIX) && name.endsWith(MEDIA_SUFFIX)) {
      int end = name.length() - MEDIA_SUFFIX.length();
      int dot = name.indexOf('.', PART_PREFIX.length());
      if (dot < 0 || dot >= end) {
        return Optional.empty();
      }
      long msn = number(name, PART_PREFIX.length(), dot, MAX_NUMBER);
      long index = number(name, dot + 1, end, MAX_PART_INDEX);
      if (msn < 0 || index < 0) {
        return Optional.empty();
      }
      return Optional.of(new HlsResource.Part(msn, (int) index));
    }
    return Optional.empty();
  }

  /**
   * The decimal number in {@code s[from, to)}: digits only, no leading zero unless it is "0", at
   * most {@code max}; -1 if it is anything else.
   */
  private static long number(String s, int from, int to, long max) {
    int length = to - from;
    if (length <= 0 || length > 13) {
      return -1;
    }
    if (length > 1 && s.charAt(from) == '0') {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= max ? value : -1;
  }

  static long requireNumber(String what, long n) {
    if (n < 0 || n > MAX_NUMBER) {
      throw new IllegalArgumentException(what + " must be within 0.." + MAX_NUMBER + ", was " + n);
    }
    return n;
  }

  static int requirePartIndex(int index) {
    if (index < 0 || index > MAX_PART_INDEX) {
      throw new IllegalArgumentException(
          "part index must be within 0.." + MAX_PART_INDEX + ", was " + index);
    }
    return index;
  }
}
