package io.camflow.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sound as a listener would get it, and what can be told about a test tone from it: level,
 * frequency, holes, where it starts. {@link #decode} has Debian's {@code /usr/bin/ffmpeg} decode
 * the first audio stream of a file or URL (an HLS playlist, an fMP4 file) to mono at 48 kHz.
 *
 * <pre>{@code
 * DecodedAudio heard = DecodedAudio.decode(playlistUrl, Duration.ofSeconds(60), "-t", "6");
 * assertEquals(440, heard.hz(1, 5), 2);
 * }</pre>
 *
 * @param samples the first channel, -1..1
 * @param sampleRate samples per second
 */
public record DecodedAudio(float[] samples, int sampleRate) {

  public static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

  /**
   * The first audio stream of {@code input}, decoded by FFmpeg to mono float at 48 kHz.
   *
   * @param outputOptions options after the input, e.g. {@code "-t", "6"} to stop after 6 s
   * @throws IllegalStateException if ffmpeg fails (its messages included) or takes longer than
   *     {@code timeout}
   */
  public static DecodedAudio decode(String input, Duration timeout, String... outputOptions) {
    List<String> command =
        new ArrayList<>(
            List.of(
                FFMPEG.toString(),
                "-nostdin",
                "-v",
                "error",
                "-i",
                input,
                "-map",
                "0:a:0",
                "-ac",
                "1",
                "-ar",
                "48000"));
    command.addAll(List.of(outputOptions));
    command.addAll(List.of("-f", "f32le", "-"));
    try {
      Process ffmpeg = new ProcessBuilder(command).start();
      // a thread each (not the common pool, one thread on two cores): ffmpeg blocks when a pipe is
      // full
      CompletableFuture<String> errors = drain(() -> read(ffmpeg.getErrorStream()));
      CompletableFuture<byte[]> pcm = drain(() -> readBytes(ffmpeg.getInputStream()));
      if (!ffmpeg.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ffmpeg.destroyForcibly();
        throw new IllegalStateException(
            "ffmpeg did not finish decoding " + input + " within " + timeout);
      }
      if (ffmpeg.exitValue() != 0) {
        throw new IllegalStateException(
            "ffmpeg could not decode the audio of "
                + input
                + ": "
                + errors.get(5, TimeUnit.SECONDS));
      }
      ByteBuffer bytes =
          ByteBuffer.wrap(pcm.get(5, TimeUnit.SECONDS)).order(ByteOrder.LITTLE_ENDIAN);
      float[] samples = new float[bytes.remaining() / 4];
      bytes.asFloatBuffer().get(samples);
      return new DecodedAudio(samples, 48_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> CompletableFuture<T> drain(java.util.function.Supplier<T> reader) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("decoded-audio-pipe")
        .start(
            () -> {
              try {
                result.complete(reader.get());
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  private static byte[] readBytes(java.io.InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(java.io.InputStream in) {
    return new String(readBytes(in)).trim();
  }

  public double seconds() {
    return samples.length / (double) sampleRate;
  }

  /** Root mean square from {@code fromSecond} to {@code toSecond} (a sine of amplitude A: A/√2). */
  public double rms(double fromSecond, double toSecond) {
    int a = Math.max(0, (int) (fromSecond * sampleRate));
    int b = Math.min(samples.length, (int) (toSecond * sampleRate));
    double sum = 0;
    for (int i = a; i < b; i++) {
      sum += samples[i] * samples[i];
    }
    return Math.sqrt(sum / Math.max(1, b - a));
  }

  /** The frequency, from the upward zero crossings between the two times. */
  public double hz(double fromSecond, double toSecond) {
    int a = Math.max(1, (int) (fromSecond * sampleRate));
    int b = Math.min(samples.length, (int) (toSecond * sampleRate));
    int first = -1;
    int last = -1;
    int crossings = 0;
    for (int i = a; i < b; i++) {
      if (samples[i - 1] < 0 && samples[i] >= 0) {
        if (first < 0) {
          first = i;
        } else {
          crossings++;
        }
        last = i;
      }
    }
    return crossings == 0 ? 0 : crossings * (double) sampleRate / (last - first);
  }

  /**
   * The rms of the quietest 10 ms between the two times (windows 5 ms apart): a hole in the sound
   * shows here.
   */
  public double quietest10Ms(double fromSecond, double toSecond) {
    double quietest = Double.MAX_VALUE;
    for (double t = fromSecond; t + 0.01 <= toSecond; t += 0.005) {
      quietest = Math.min(quietest, rms(t, t + 0.01));
    }
    return quietest == Double.MAX_VALUE ? 0 : quietest;
  }

  /** The time of the first sample louder than {@code level}, or -1. */
  public double onsetSeconds(double level) {
    for (int i = 0; i < samples.length; i++) {
      if (Math.abs(samples[i]) > level) {
        return i / (double) sampleRate;
      }
    }
    return -1;
  }

  /** Sizes instead of samples: this ends up in assertion messages. */
  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT, "DecodedAudio[%.3f s at %d Hz]", seconds(), sampleRate);
  }
}
