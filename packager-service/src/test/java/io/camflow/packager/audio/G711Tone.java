package io.camflow.packager.audio;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A camera's G.711 as ingest would publish it, made by an encoder other than ours: Debian's {@code
 * ffmpeg} turns a sine (or silence, then a sine) into A-law or µ-law codes, cut into records of
 * {@code samplesPerRecord} with pts counted in samples at 8 kHz.
 */
public final class G711Tone {

  private G711Tone() {}

  /** {@code seconds} of {@code hz} at {@code amplitude} (0..1) from the first sample. */
  public static byte[] codes(Codec codec, double hz, double amplitude, double seconds) {
    return codes(
        codec, String.format(Locale.ROOT, "%.4f*sin(2*PI*%.3f*t)", amplitude, hz), seconds);
  }

  /** Silence until {@code onsetSeconds}, then the sine. */
  public static byte[] codesWithOnset(
      Codec codec, double hz, double amplitude, double onsetSeconds, double seconds) {
    return codes(
        codec,
        String.format(
            Locale.ROOT,
            "if(gte(t\\,%.6f)\\,%.4f*sin(2*PI*%.3f*(t-%.6f))\\,0)",
            onsetSeconds,
            amplitude,
            hz,
            onsetSeconds),
        seconds);
  }

  private static byte[] codes(Codec codec, String expression, double seconds) {
    String format = codec == Codec.PCMA ? "alaw" : "mulaw";
    try {
      Process ffmpeg =
          new ProcessBuilder(
                  "/usr/bin/ffmpeg",
                  "-nostdin",
                  "-v",
                  "error",
                  "-f",
                  "lavfi",
                  "-i",
                  "aevalsrc=" + expression + ":s=8000:d=" + seconds,
                  "-c:a",
                  "pcm_" + format,
                  "-f",
                  format,
                  "-")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      byte[] out = ffmpeg.getInputStream().readAllBytes();
      if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
        throw new IllegalStateException("ffmpeg failed making " + format);
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The codes as records of {@code samplesPerRecord} (the last one shorter), the first at {@code
   * firstPts}.
   */
  public static List<AccessUnit> records(
      Codec codec, byte[] codes, int samplesPerRecord, long firstPts) {
    List<AccessUnit> out = new ArrayList<>();
    for (int at = 0; at < codes.length; at += samplesPerRecord) {
      byte[] data = Arrays.copyOfRange(codes, at, Math.min(codes.length, at + samplesPerRecord));
      out.add(new AccessUnit(1, codec, firstPts + at, firstPts + at, 8_000, false, data, null));
    }
    return out;
  }
}
