package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code /usr/bin/ffprobe} and {@code /usr/bin/ffmpeg} as independent readers of what
 * camflow writes. {@code media/} has no JSON library, so ffprobe speaks its {@code flat} format
 * ({@code packets.packet.3.pts=3600}) here.
 */
final class Ffmpeg {

  static final Path FFPROBE = Path.of("/usr/bin/ffprobe");
  static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

  /** Generous: these files decode in well under a second; the limit only catches a hang. */
  private static final long TIMEOUT_SECONDS = 120;

  private Ffmpeg() {}

  /** One packet as ffprobe's MP4 demuxer sees it; times in the stream's time base. */
  record Packet(
      int streamIndex,
      long pts,
      long dts,
      long duration,
      int size,
      long pos,
      String flags,
      String dataHash) {

    boolean keyframe() {
      return flags.startsWith("K");
    }
  }

  /** One stream; absent numbers are 0, absent strings empty. */
  record Stream(
      int index,
      String codecName,
      String codecTag,
      String profile,
      int width,
      int height,
      int sampleRate,
      int channels,
      String timeBase,
      long readFrames,
      long readPackets) {

    /** The denominator of a {@code 1/N} time base. */
    int timeBaseDenominator() {
      String[] parts = timeBase.split("/");
      if (parts.length != 2 || !parts[0].equals("1")) {
        throw new IllegalStateException("unexpected time base " + timeBase);
      }
      return Integer.parseInt(parts[1]);
    }
  }

  record Probe(List<Stream> streams, List<Packet> packets) {

    List<Packet> packetsOf(int streamIndex) {
      return packets.stream().filter(p -> p.streamIndex() == streamIndex).toList();
    }
  }

  /**
   * Streams and packets (with an MD5 of each packet's data) as FFmpeg reads them. With {@code
   * countFrames}, ffprobe also decodes every frame and reports how many it got ({@link
   * Stream#readFrames()}).
   */
  static Probe probe(Path file, boolean countFrames) {
    return probe(file, countFrames, false);
  }

  /**
   * The same, but with FFmpeg's parsers off: its H.264 parser sets the keyframe flag from the
   * bitstream, so only this way does the flag show what the container (trun sample_flags) says.
   * (FFmpeg then reports no duration for the first packet; {@link #probe(Path, boolean)} does.)
   */
  static Probe probeContainerOnly(Path file) {
    return probe(file, false, true);
  }

  private static Probe probe(Path file, boolean countFrames, boolean noParse) {
    List<String> command = new ArrayList<>(List.of(FFPROBE.toString(), "-v", "error"));
    if (noParse) {
      command.addAll(List.of("-fflags", "+noparse"));
    }
    if (countFrames) {
      command.add("-count_frames");
    }
    command.addAll(
        List.of(
            "-show_data_hash",
            "md5",
            "-show_entries",
            "stream=index,codec_name,codec_tag_string,profile,width,height,sample_rate,channels,time_base,nb_read_frames,nb_read_packets"
                + ":packet=stream_index,pts,dts,duration,size,pos,flags,data_hash",
            "-of",
            "flat",
            file.toString()));
    Result result = run(command);
    assertEquals(0, result.exitCode(), () -> "ffprobe failed on " + file + ": " + result.stderr());
    assertEquals("", result.stderr().strip(), () -> "ffprobe complained about " + file);

    Map<Integer, Map<String, String>> streams = new TreeMap<>();
    Map<Integer, Map<String, String>> packets = new TreeMap<>();
    for (String line : result.stdout().split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String[] key = line.substring(0, eq).split("\\.");
      String value = unquote(line.substring(eq + 1));
      if (key.length == 4 && key[0].equals("streams")) {
        streams.computeIfAbsent(Integer.parseInt(key[2]), i -> new TreeMap<>()).put(key[3], value);
      } else if (key.length == 4 && key[0].equals("packets")) {
        packets.computeIfAbsent(Integer.parseInt(key[2]), i -> new TreeMap<>()).put(key[3], value);
      }
    }
    List<Stream> streamList =
        streams.values().stream()
            .map(
                s ->
                    new Stream(
                        (int) number(s, "index"),
                        s.getOrDefault("codec_name", ""),
                        s.getOrDefault("codec_tag_string", ""),
                        s.getOrDefault("profile", ""),
                        (int) number(s, "width"),
                        (int) number(s, "height"),
                        (int) number(s, "sample_rate"),
                        (int) number(s, "channels"),
                        s.getOrDefault("time_base", ""),
                        number(s, "nb_read_frames"),
                        number(s, "nb_read_packets")))
            .toList();
    List<Packet> packetList =
        packets.values().stream()
            .map(
                p ->
                    new Packet(
                        (int) number(p, "stream_index"),
                        number(p, "pts"),
                        number(p, "dts"),
                        number(p, "duration"),
                        (int) number(p, "size"),
                        number(p, "pos"),
                        p.getOrDefault("flags", ""),
                        p.getOrDefault("data_hash", "")))
            .toList();
    return new Probe(streamList, packetList);
  }

  /**
   * {@code ffmpeg -xerror} decodes the whole file to nowhere: any decoder or demuxer error fails.
   */
  static void assertDecodesWithoutError(Path file) {
    Result result =
        run(
            List.of(
                FFMPEG.toString(),
                "-nostdin",
                "-v",
                "error",
                "-xerror",
                "-i",
                file.toString(),
                "-f",
                "null",
                "-"));
    assertEquals(
        0, result.exitCode(), () -> "ffmpeg could not decode " + file + ": " + result.stderr());
    assertTrue(
        result.stderr().isBlank(),
        () -> "ffmpeg reported errors for " + file + ": " + result.stderr());
  }

  record Result(int exitCode, String stdout, String stderr) {}

  static Result run(List<String> command) {
    assertTrue(
        Files.isExecutable(Path.of(command.get(0))),
        () ->
            command.get(0) + " is missing: install Debian's ffmpeg package (./camflow test does)");
    try {
      Process process = new ProcessBuilder(command).start();
      process.getOutputStream().close();
      // Read both pipes concurrently so neither can fill up and stall the process.
      CompletableFuture<byte[]> stdout =
          CompletableFuture.supplyAsync(() -> readAll(process, true));
      CompletableFuture<byte[]> stderr =
          CompletableFuture.supplyAsync(() -> readAll(process, false));
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(
          process.exitValue(),
          new String(stdout.join(), StandardCharsets.UTF_8),
          new String(stderr.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static byte[] readAll(Process process, boolean stdout) {
    try {
      return (stdout ? process.getInputStream() : process.getErrorStream()).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  /** A number, or 0 for absent / "N/A". */
  private static long number(Map<String, String> fields, String key) {
    String value = fields.get(key);
    if (value == null || value.isEmpty() || value.equals("N/A")) {
      return 0;
    }
    return Long.parseLong(value);
  }
}
