package io.camflow.webrtc.srtp;

import java.util.Arrays;

/**
 * The SRTP master keys and salts of both directions, as DTLS-SRTP exports them
 * ("EXTRACTOR-dtls_srtp", RFC 5764 §4.2). The client writes with the client key, the server with
 * the server key. {@link #toString()} never shows key bytes.
 */
public record SrtpKeyMaterial(
    SrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {

  public static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

  public SrtpKeyMaterial {
    if (clientKey.length != profile.keyLength()
        || serverKey.length != profile.keyLength()
        || clientSalt.length != profile.saltLength()
        || serverSalt.length != profile.saltLength()) {
      throw new IllegalArgumentException("key or salt length does not fit " + profile);
    }
  }

  /**
   * Splits exported keying material: client_write_key, server_write_key, client_write_salt,
   * server_write_salt.
   */
  public static SrtpKeyMaterial fromExporter(SrtpProfile profile, byte[] material) {
    if (material.length != profile.exporterLength()) {
      throw new IllegalArgumentException(
          "expected " + profile.exporterLength() + " bytes of keying material");
    }
    int k = profile.keyLength();
    int s = profile.saltLength();
    return new SrtpKeyMaterial(
        profile,
        Arrays.copyOfRange(material, 0, k),
        Arrays.copyOfRange(material, 2 * k, 2 * k + s),
        Arrays.copyOfRange(material, k, 2 * k),
        Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s));
  }

  @Override
  public String toString() {
    return "SrtpKeyMaterial[" + profile + ", keys hidden]";
  }
}
