package io.camflow.ingest.source.tls;

import io.camflow.registry.StreamRules;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * How camflow checks an {@code rtsps://} camera's certificate. Three ways, one per stream:
 *
 * <ul>
 *   <li>{@code verify} (the default): a chain to a trusted CA — the JDK's trust store, plus the
 *       certificates of {@code caFile} when set — issued for the URL's host name or address;
 *   <li>{@code fingerprint}: exactly this certificate (SHA-256 of its DER encoding), whoever issued
 *       it and for whatever name: the safe way to use a camera's self-signed certificate;
 *   <li>{@code verify == false}: any certificate. The stream stays encrypted but anyone on the path
 *       can pose as the camera; camflow warns once per camera.
 * </ul>
 *
 * @param verify false only for the explicit opt-out
 * @param caFile PEM file of additional CA certificates, or null
 * @param fingerprint 64 lowercase hex digits, or null
 */
public record CameraTls(boolean verify, Path caFile, String fingerprint) {

  /** The default: full verification against the JDK's trust store. */
  public static final CameraTls VERIFY = new CameraTls(true, null, null);

  public CameraTls {
    if (fingerprint != null) {
      fingerprint =
          StreamRules.fingerprint(fingerprint)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "tlsFingerprint " + StreamRules.FINGERPRINT_RULE));
    }
    if (!verify && (caFile != null || fingerprint != null)) {
      throw new IllegalArgumentException(
          "tlsVerify: false accepts any certificate; tlsCaFile and tlsFingerprint "
              + "would be ignored");
    }
    if (caFile != null && fingerprint != null) {
      throw new IllegalArgumentException("set tlsCaFile or tlsFingerprint, not both");
    }
  }

  /** Reads a CA file as a connection would; the exception says what is wrong with it. */
  public static void checkCaFile(Path file) throws java.io.IOException {
    if (!java.nio.file.Files.isReadable(file)) {
      throw new java.io.IOException("cannot read " + file + " (a PEM file of CA certificates)");
    }
    CameraTrust.readPem(file);
  }

  /** SHA-256 of a certificate's DER encoding, as {@link #fingerprint} holds it. */
  public static String fingerprintOf(byte[] der) {
    try {
      return HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
