package io.camflow.registry;

/** The registry topic could not be written (Kafka down or too slow): the API answers 503. */
public final class RegistryUnavailableException extends RuntimeException {
  public RegistryUnavailableException(String message) {
    super(message);
  }
}
