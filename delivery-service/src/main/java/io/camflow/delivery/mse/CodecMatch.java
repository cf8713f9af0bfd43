package io.camflow.delivery.mse;

import java.util.Collection;
import java.util.Locale;

/**
 * Whether a client can play a stream, from the RFC 6381 codec strings it found playable with {@code
 * MediaSource.isTypeSupported}. A stream codec is playable if the client listed it exactly, or
 * listed a codec of the same family (the part before the first dot: {@code avc1}, {@code hvc1},
 * {@code mp4a}); browsers that decode one H.264 profile decode the ones cameras send, and listing
 * every profile-level string would only make clients longer. Comparison ignores case.
 */
public final class CodecMatch {

  private CodecMatch() {}

  /**
   * @param streamCodecs the stream's codecs, comma-separated (the init segment's {@code
   *     camflow.codecs})
   * @param clientCodecs what the client can play
   */
  public static boolean playable(String streamCodecs, Collection<String> clientCodecs) {
    if (streamCodecs == null || streamCodecs.isBlank()) {
      return false;
    }
    for (String codec : streamCodecs.split(",")) {
      if (!playable1(codec.trim(), clientCodecs)) {
        return false;
      }
    }
    return true;
  }

  private static boolean playable1(String codec, Collection<String> clientCodecs) {
    String family = family(codec);
    for (String c : clientCodecs) {
      if (c == null) {
        continue;
      }
      String client = c.trim();
      if (client.equalsIgnoreCase(codec) || family(client).equals(family)) {
        return true;
      }
    }
    return false;
  }

  /** The 4-character sample entry type of an RFC 6381 string, lower case. */
  static String family(String codec) {
    int dot = codec.indexOf('.');
    return (dot < 0 ? codec : codec.substring(0, dot)).toLowerCase(Locale.ROOT);
  }
}
