package io.camflow.registry;

import io.camflow.media.StreamKey;

/**
 * One stream of a camera as the registry holds it: the {@code camflow.cameras} record's stream,
 * what the API writes and shows, and what ingest pulls. Its settings are typed; those left unset
 * take ingest's defaults ({@code defaults:} in config/camflow.yaml), see {@link
 * StreamSettings#resolve}. The rules of its fields are {@link StreamRules}'.
 *
 * @param name {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param url {@code rtsp://} or {@code rtsps://} (a file camera may also have {@code synthetic:}),
 *     never with credentials
 * @param username null when the camera needs none
 * @param sealedPassword the password sealed by {@link SecretBox} ({@code v1:…}), null when none is
 *     stored
 * @param settings how it is pulled; {@link StreamSettings#UNSET} when all are the defaults
 * @param tlsVerify {@code rtsps://} only: {@code false} is the explicit opt-out of certificate
 *     verification; null (or true) verifies
 * @param tlsFingerprint {@code rtsps://} only: the SHA-256 of the one certificate to accept, as 64
 *     lowercase hex digits, or null
 */
public record StreamEntry(
    String name,
    String url,
    String username,
    String sealedPassword,
    StreamSettings settings,
    Boolean tlsVerify,
    String tlsFingerprint) {

  /**
   * @throws IllegalArgumentException when a field breaks its rule (the message quotes no value)
   */
  public StreamEntry {
    if (!StreamKey.isValidPart(name)) {
      throw new IllegalArgumentException("stream name " + StreamRules.NAME_RULE);
    }
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("stream " + name + " has no url");
    }
    settings = settings == null ? StreamSettings.UNSET : settings;
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

  /**
   * A stream whose certificate, if it is an {@code rtsps://} camera, is verified (no TLS settings).
   */
  public StreamEntry(
      String name, String url, String username, String sealedPassword, StreamSettings settings) {
    this(name, url, username, sealedPassword, settings, null, null);
  }

  public boolean hasPassword() {
    return sealedPassword != null;
  }

  public StreamEntry withSealedPassword(String sealed) {
    return new StreamEntry(name, url, username, sealed, settings, tlsVerify, tlsFingerprint);
  }

  @Override
  public String toString() {
    return "StreamEntry["
        + name
        + ", "
        + url
        + (username == null ? "" : ", user " + username)
        + (sealedPassword == null ? "" : ", password set")
        + "]";
  }
}
