package io.camflow.registry;

import io.camflow.media.StreamKey;

/**
 * One stream of a camera as the {@code camflow.cameras} record holds it. Settings left null take
 * ingest's defaults ({@code defaults:} in config/camflow.yaml).
 *
 * @param name {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param url {@code rtsp://} or {@code rtsps://} (a file camera may also have {@code synthetic:}),
 *     never with credentials
 * @param username null when the camera needs none
 * @param sealedPassword the password sealed by {@link SecretBox} ({@code v1:…}), null when none is
 *     stored
 * @param transport {@code tcp}, {@code udp}, {@code auto} or null
 * @param mode {@code always}, {@code on-demand} or null
 * @param idleGrace a duration as in camflow.yaml ({@code 10s}) or null
 * @param readTimeout a duration or null
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
    String transport,
    String mode,
    String idleGrace,
    String readTimeout,
    Boolean tlsVerify,
    String tlsFingerprint) {

  public StreamEntry {
    if (!StreamKey.isValidPart(name)) {
      throw new IllegalArgumentException("stream name must match [a-z0-9][a-z0-9_-]{0,63}");
    }
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("stream " + name + " has no url");
    }
  }

  /**
   * A stream whose certificate, if it is an {@code rtsps://} camera, is verified (no TLS settings).
   */
  public StreamEntry(
      String name,
      String url,
      String username,
      String sealedPassword,
      String transport,
      String mode,
      String idleGrace,
      String readTimeout) {
    this(name, url, username, sealedPassword, transport, mode, idleGrace, readTimeout, null, null);
  }

  public boolean hasPassword() {
    return sealedPassword != null;
  }

  public StreamEntry withSealedPassword(String sealed) {
    return new StreamEntry(
        name,
        url,
        username,
        sealed,
        transport,
        mode,
        idleGrace,
        readTimeout,
        tlsVerify,
        tlsFingerprint);
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
