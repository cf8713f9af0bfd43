package io.camflow.ingest.source;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * Maps FFmpeg error codes to camflow's failure types. Messages name the URL without credentials.
 */
final class FfmpegErrors {

  private FfmpegErrors() {}

  static SourceException onOpen(
      int code, FfmpegInterrupts.Handle interrupts, SourceAddress address) {
    if (interrupts.interrupted()) {
      return new SourceClosedException();
    }
    if (interrupts.timedOut()) {
      return new StreamTimeoutException("no answer from " + address.url() + " within the timeout");
    }
    if (code == avutil.AVERROR_HTTP_UNAUTHORIZED() || code == avutil.AVERROR_HTTP_FORBIDDEN()) {
      return new AuthFailedException(
          address.url()
              + " refused the credentials ("
              + (code == avutil.AVERROR_HTTP_FORBIDDEN() ? "403" : "401")
              + ")");
    }
    if (code == avutil.AVERROR_HTTP_NOT_FOUND()) {
      return new ConnectFailedException(address.url() + ": stream not found (404)");
    }
    return new ConnectFailedException("cannot open " + address.url() + ": " + describe(code));
  }

  static SourceException onRead(int code, FfmpegInterrupts.Handle interrupts) {
    if (interrupts.interrupted()) {
      return new SourceClosedException();
    }
    if (interrupts.timedOut()) {
      return new StreamTimeoutException("no packet within the read timeout");
    }
    if (code == avutil.AVERROR_EOF()) {
      return new EndOfStreamException("the camera ended the stream");
    }
    return new EndOfStreamException("stream lost: " + describe(code));
  }

  static String describe(int code) {
    byte[] buf = new byte[256];
    avutil.av_strerror(code, buf, buf.length);
    int len = 0;
    while (len < buf.length && buf[len] != 0) {
      len++;
    }
    return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
  }
}
