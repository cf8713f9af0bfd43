package io.camflow.registry;

import io.camflow.media.StreamKey;
import java.util.Map;

/**
 * One stream of a camera as the registry holds it: the {@code camflow.cameras} record's stream,
 * what the API writes and shows, and what ingest pulls. Its settings are typed; those left unset
 * take ingest's defaults ({@code defaults:} in config/camflow.yaml), see {@link
 * StreamSettings#resolve}. The rules of its fields are {@link StreamRules}'.
 *
 * <p>A {@linkplain #published() published} stream is pushed into delivery's RTSP server by an
 * encoder instead: it has a name and nothing else — no url, credentials, TLS or pull settings.
 *
 * @param name {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param url {@code rtsp://} or {@code rtsps://} (a file camera may also have {@code synthetic:}),
 *     never with credentials; null exactly when the stream is published
 * @param username null when the camera needs none
 * @param sealedPassword the password sealed by {@link SecretBox} ({@code v1:…}), null when none is
 *     stored
 * @param settings how it is pulled; {@link StreamSettings#UNSET} when all are the defaults (always
 *     for a published stream)
 * @param tlsVerify {@code rtsps://} only: {@code false} is the explicit opt-out of certificate
 *     verification; null (or true) verifies
 * @param tlsFingerprint {@code rtsps://} only: the SHA-256 of the one certificate to accept, as 64
 *     lowercase hex digits, or null
 * @param source pulled by ingest or published into delivery; null reads as {@link
 *     StreamSource#PULL} (records written before streams could be published)
 */
public record StreamEntry(
    String name,
    String url,
    String username,
    String sealedPassword,
    StreamSettings settings,
    Boolean tlsVerify,
    String tlsFingerprint,
    StreamSource source) {

  /**
   * @throws IllegalArgumentException when a field breaks its rule (the message quotes no value)
   */
  public StreamEntry {
    if (!StreamKey.isValidPart(name)) {
      throw new IllegalArgumentException("stream name " + StreamRules.NAME_RULE);
    }
    source = source == null ? StreamSource.PULL : source;
    settings = settings == null ? StreamSettings.UNSET : settings;
    if (source == StreamSource.PUBLISH) {
      String field = pullField(url, username, sealedPassword, settings, tlsVerify, tlsFingerprint);
      if (field != null) {
        throw new IllegalArgumentException(
            "stream " + name + ": " + StreamRules.notPublished(field));
      }
    } else {
      if (url == null || url.isEmpty()) {
        throw new IllegalArgumentException("stream " + name + " has no url");
      }
      if (tlsFingerprint != null) {
        tlsFingerprint =
            StreamRules.fingerprint(tlsFingerprint)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "stream " + name + ": tlsFingerprint " + StreamRules.FINGERPRINT_RULE));
      }
      if ((tlsVerify != null || tlsFingerprint != null) && !StreamRules.isRtsps(url)) {
        throw new IllegalArgumentException(
            "stream " + name + ": tlsVerify and tlsFingerprint " + StreamRules.TLS_ONLY_RTSPS);
      }
    }
  }

  /** A pulled stream. */
  public StreamEntry(
      String name,
      String url,
      String username,
      String sealedPassword,
      StreamSettings settings,
      Boolean tlsVerify,
      String tlsFingerprint) {
    this(name, url, username, sealedPassword, settings, tlsVerify, tlsFingerprint, null);
  }

  /**
   * A pulled stream whose certificate, if it is an {@code rtsps://} camera, is verified (no TLS
   * settings).
   */
  public StreamEntry(
      String name, String url, String username, String sealedPassword, StreamSettings settings) {
    this(name, url, username, sealedPassword, settings, null, null, null);
  }

  /** A stream an encoder publishes into delivery under this name. */
  public static StreamEntry published(String name) {
    return new StreamEntry(name, null, null, null, null, null, null, StreamSource.PUBLISH);
  }

  /**
   * Whether an encoder publishes this stream into delivery (ingest creates its topics and never
   * pulls it); false for a stream ingest pulls from its {@link #url}.
   */
  public boolean published() {
    return source == StreamSource.PUBLISH;
  }

  public boolean hasPassword() {
    return sealedPassword != null;
  }

  public StreamEntry withSealedPassword(String sealed) {
    return new StreamEntry(
        name, url, username, sealed, settings, tlsVerify, tlsFingerprint, source);
  }

  /** The first field set that only a pulled stream has, or null. */
  private static String pullField(
      String url,
      String username,
      String sealedPassword,
      StreamSettings settings,
      Boolean tlsVerify,
      String tlsFingerprint) {
    if (url != null) {
      return "url";
    }
    if (username != null) {
      return "username";
    }
    if (sealedPassword != null) {
      return "password";
    }
    for (Map.Entry<String, String> setting : settings.texts().entrySet()) {
      if (setting.getValue() != null) {
        return setting.getKey();
      }
    }
    if (tlsVerify != null) {
      return "tlsVerify";
    }
    return tlsFingerprint != null ? "tlsFingerprint" : null;
  }

  @Override
  public String toString() {
    if (published()) {
      return "StreamEntry[" + name + ", published]";
    }
    return "StreamEntry["
        + name
        + ", "
        + url
        + (username == null ? "" : ", user " + username)
        + (sealedPassword == null ? "" : ", password set")
        + "]";
  }
}
