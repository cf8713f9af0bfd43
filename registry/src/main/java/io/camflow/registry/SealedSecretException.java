package io.camflow.registry;

/**
 * A sealed camera password that cannot be opened; the message never contains the value or the key.
 */
public final class SealedSecretException extends RuntimeException {
  public SealedSecretException(String message) {
    super(message);
  }
}
