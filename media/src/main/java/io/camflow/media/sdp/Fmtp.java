package io.camflow.media.sdp;

import java.util.Locale;
import java.util.Map;

/**
 * {@code a=fmtp:<format> <parameters>} (RFC 8866 6.15). {@code parameters} holds the {@code
 * key=value} pairs split at {@code ;}, keys lower-cased (RFC 6184 and RFC 7798 parameter names are
 * case-insensitive); a part without {@code =} (Chromium's {@code red} writes {@code 111/111}) is
 * kept with an empty value. {@code raw} is the text as written.
 */
public record Fmtp(String format, Map<String, String> parameters, String raw) {

  public Fmtp {
    parameters = Map.copyOf(parameters);
  }

  /** A parameter's value, or {@code fallback} when it is absent. */
  public String get(String name, String fallback) {
    return parameters.getOrDefault(name.toLowerCase(Locale.ROOT), fallback);
  }
}
