package io.camflow.picture;

/** Recorded or live media that does not decode to a picture (a broken or truncated unit). */
public final class BadPictureException extends RuntimeException {

  public BadPictureException(String message) {
    super(message);
  }
}
