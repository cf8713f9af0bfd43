package io.camflow.registry;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals camera passwords for the {@code camflow.cameras} topic, so a password is never in a Kafka
 * record in clear: AES-256-GCM with a random 96-bit nonce and the stream key ({@code
 * camera/stream}) as associated data, so a sealed password copied to another stream does not open.
 * Text form: {@code v1:<base64(nonce | ciphertext | tag)>}; the version prefix names the algorithm
 * and key generation, so a later key rotation can add {@code v2} and still read {@code v1}.
 *
 * <p>The key is {@value #ENV} (base64 of 32 bytes), the same for delivery (which seals what the API
 * receives) and ingest (which opens it to log in to the camera). No message here repeats a key, a
 * password or a sealed value.
 */
public final class SecretBox {

  public static final String ENV = "CAMFLOW_SECRETS_KEY";
  static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * @throws IllegalArgumentException when {@code base64} is not base64 of exactly 32 bytes
   */
  public static SecretBox fromBase64(String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          ENV + " is not base64; make one with: head -c 32 /dev/urandom | base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          ENV
              + " must be base64 of 32 bytes, it has "
              + raw.length
              + "; make one with: head -c 32 /dev/urandom | base64");
    }
    return new SecretBox(raw);
  }

  /** The box of {@value #ENV}, empty when the variable is unset or blank. */
  public static Optional<SecretBox> from(Settings settings) {
    return settings
        .find(CamflowOptions.SECRETS_KEY)
        .filter(k -> !k.isBlank())
        .map(SecretBox::fromBase64);
  }

  /** Seals {@code password} for the stream {@code streamKey} ({@code camera/stream}). */
  public String seal(String password, String streamKey) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(streamKey.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(password.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return VERSION + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /**
   * The password sealed for {@code streamKey}.
   *
   * @throws SealedSecretException when the text is not a sealed value, has an unknown version, or
   *     does not open with this key for this stream (wrong key, tampered, another stream's)
   */
  public String open(String sealed, String streamKey) {
    if (sealed == null || !sealed.startsWith("v") || sealed.indexOf(':') < 0) {
      throw new SealedSecretException("not a sealed password (expected v1:<base64>)");
    }
    if (!sealed.startsWith(VERSION)) {
      throw new SealedSecretException(
          "sealed with an unknown format version "
              + sealed.substring(0, Math.min(sealed.indexOf(':'), 8))
              + "; this camflow reads v1");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
    } catch (IllegalArgumentException e) {
      throw new SealedSecretException("sealed password is not valid base64");
    }
    if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new SealedSecretException("sealed password is too short");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
      c.updateAAD(streamKey.getBytes(StandardCharsets.UTF_8));
      byte[] plain = c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SealedSecretException(
          "sealed password does not open: another "
              + ENV
              + " than the one that sealed it, or the value was changed");
    } catch (GeneralSecurityException e) {
      throw new SealedSecretException(
          "sealed password does not open (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public String toString() {
    return "SecretBox[AES-256-GCM, key hidden]";
  }
}
