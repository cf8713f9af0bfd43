package io.camflow.delivery.transcode;

/** An AAC frame the decoder refused: the frame is skipped, the transcoding goes on. */
public final class BadAudioFrameException extends Exception {

  public BadAudioFrameException(String message) {
    super(message);
  }
}
