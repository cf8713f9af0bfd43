package io.camflow.picture;

/** A picture request whose parameters are not valid: answered 400 with the message. */
public final class BadPictureRequestException extends IllegalArgumentException {

  public BadPictureRequestException(String message) {
    super(message);
  }
}
