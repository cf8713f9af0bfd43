package io.camflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  static final String OTHER_KEY =
      Base64.getEncoder().encodeToString("another key, 32 bytes long!!!!!!".getBytes());
  static final String PASSWORD = "s3cret:p@ss wörd";

  final SecretBox box = SecretBox.fromBase64(KEY);

  @Test
  void roundTrip() {
    String sealed = box.seal(PASSWORD, "cam/main");
    assertTrue(sealed.startsWith("v1:"), sealed);
    assertFalse(sealed.contains(PASSWORD));
    assertEquals(PASSWORD, box.open(sealed, "cam/main"));
    assertEquals("", box.open(box.seal("", "cam/main"), "cam/main"));
  }

  @Test
  void everySealIsDifferent() {
    assertNotEquals(box.seal(PASSWORD, "cam/main"), box.seal(PASSWORD, "cam/main"), "random nonce");
  }

  @Test
  void wrongKeyIsAClearError() {
    String sealed = box.seal(PASSWORD, "cam/main");
    SealedSecretException e =
        assertThrows(
            SealedSecretException.class,
            () -> SecretBox.fromBase64(OTHER_KEY).open(sealed, "cam/main"));
    assertTrue(e.getMessage().contains("CAMFLOW_SECRETS_KEY"), e.getMessage());
    assertFalse(e.getMessage().contains(sealed.substring(3)));
  }

  @Test
  void tamperedCiphertextIsRefused() {
    String sealed = box.seal(PASSWORD, "cam/main");
    byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
    raw[raw.length - 20] ^= 1;
    String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);
    SealedSecretException e =
        assertThrows(SealedSecretException.class, () -> box.open(tampered, "cam/main"));
    assertTrue(e.getMessage().contains("changed"), e.getMessage());
  }

  @Test
  void anotherStreamsSealDoesNotOpen() {
    String sealed = box.seal(PASSWORD, "cam/main");
    assertThrows(SealedSecretException.class, () -> box.open(sealed, "other/main"));
  }

  @Test
  void malformedAndUnknownVersions() {
    assertTrue(
        assertThrows(SealedSecretException.class, () -> box.open("v2:AAAA", "c/s"))
            .getMessage()
            .contains("v2"));
    assertThrows(SealedSecretException.class, () -> box.open("plain text", "c/s"));
    assertThrows(SealedSecretException.class, () -> box.open("v1:!!!", "c/s"));
    assertThrows(SealedSecretException.class, () -> box.open("v1:AAAA", "c/s"));
  }

  @Test
  void keyMustBe32BytesOfBase64() {
    assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64("not base64 !"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SecretBox.fromBase64(Base64.getEncoder().encodeToString(new byte[16])));
    assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
    assertTrue(SecretBox.from(io.camflow.options.Settings.fromEnvironment(Map.of())).isEmpty());
    assertTrue(
        SecretBox.from(
                io.camflow.options.Settings.fromEnvironment(Map.of("CAMFLOW_SECRETS_KEY", KEY)))
            .isPresent());
    assertFalse(box.toString().contains(KEY));
  }
}
