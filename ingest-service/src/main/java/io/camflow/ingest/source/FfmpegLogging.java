package io.camflow.ingest.source;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's own log lines can quote URLs, and with them credentials; camflow silences them and
 * reports failures through its own typed errors instead.
 */
final class FfmpegLogging {

  private static volatile boolean initialized;

  private FfmpegLogging() {}

  static void init() {
    if (!initialized) {
      synchronized (FfmpegLogging.class) {
        if (!initialized) {
          avutil.av_log_set_level(avutil.AV_LOG_QUIET);
          initialized = true;
        }
      }
    }
  }
}
