package io.camflow.testsupport;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.au.AccessUnitAssembler;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h265.H265NalType;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real H.264 and H.265 access units (Debian's FFmpeg with libx264 / libx265), as ingest would write
 * them.
 */
public final class EncodedStream {

  public static final int FPS = 25;
  public static final long FRAME_TICKS = 90_000 / FPS;

  private EncodedStream() {}

  /**
   * The benchmarks' camera: 20 s of 1920x1080 at 25 fps, ~4 Mbit/s, GOP 50, with noise in the
   * picture so x264 (ultrafast) really spends the bit rate.
   */
  public static List<AccessUnit> busy1080p() throws Exception {
    return h264(
        "testsrc2=size=1920x1080:rate=" + FPS + ",noise=alls=30:allf=t",
        20,
        50,
        "-b:v",
        "4M",
        "-maxrate",
        "4M",
        "-bufsize",
        "2M");
  }

  /**
   * Access unit {@code i} of {@code clip} played in a loop: the clip's unit {@code i % size}, its
   * timestamps moved on by the loops before it, so the stream's time never goes back.
   */
  public static AccessUnit looped(List<AccessUnit> clip, long i) {
    AccessUnit a = clip.get((int) (i % clip.size()));
    long shift = (i / clip.size()) * clip.size() * FRAME_TICKS;
    return new AccessUnit(
        a.track(),
        a.codec(),
        a.pts() + shift,
        a.dts() + shift,
        a.timebase(),
        a.keyframe(),
        a.data(),
        a.codecConfig());
  }

  /** {@code seconds} of 25 fps H.264 with a keyframe every {@code gop} frames, pts = dts from 0. */
  public static List<AccessUnit> h264(int seconds, int gop, int width, int height)
      throws Exception {
    return h264("testsrc2=size=" + width + "x" + height + ":rate=" + FPS, seconds, gop);
  }

  /**
   * {@code seconds} of 25 fps H.264 from an FFmpeg lavfi video source (e.g. with a noise filter), a
   * keyframe every {@code gop} frames, extra x264 options appended (e.g. "-b:v", "4M").
   */
  public static List<AccessUnit> h264(
      String lavfiSource, int seconds, int gop, String... encoderOptions) throws Exception {
    Path file = Files.createTempFile("camflow-encoded", ".h264");
    List<String> command =
        new ArrayList<>(
            List.of(
                "/usr/bin/ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                lavfiSource,
                "-t",
                Integer.toString(seconds),
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-g",
                Integer.toString(gop),
                "-keyint_min",
                Integer.toString(gop),
                "-bf",
                "0"));
    command.addAll(List.of(encoderOptions));
    command.addAll(List.of("-x264-params", "aud=1", "-f", "h264", file.toString()));
    return encode(command, file, Codec.H264);
  }

  /**
   * {@code seconds} of 25 fps H.265 (Main, no B-frames, as WebRTC needs) with an IDR every {@code
   * gop} frames, pts = dts from 0.
   */
  public static List<AccessUnit> h265(int seconds, int gop, int width, int height)
      throws Exception {
    Path file = Files.createTempFile("camflow-encoded", ".h265");
    List<String> command =
        List.of(
            "/usr/bin/ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=" + width + "x" + height + ":rate=" + FPS,
            "-t",
            Integer.toString(seconds),
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-x265-params",
            "log-level=error:aud=1:bframes=0:keyint="
                + gop
                + ":min-keyint="
                + gop
                + ":scenecut=0:open-gop=0",
            "-f",
            "hevc",
            file.toString());
    return encode(command, file, Codec.H265);
  }

  /**
   * Runs FFmpeg, then cuts its output at the access unit delimiters into assembled access units.
   */
  private static List<AccessUnit> encode(List<String> command, Path file, Codec codec)
      throws Exception {
    Process ffmpeg = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(ffmpeg.getInputStream().readAllBytes());
    if (!ffmpeg.waitFor(300, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
      throw new IllegalStateException("ffmpeg failed: " + out);
    }
    AccessUnitAssembler assembler = new AccessUnitAssembler(codec, 0, 90_000);
    List<AccessUnit> units = new ArrayList<>();
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    for (byte[] nal : AnnexB.split(Files.readAllBytes(file))) {
      boolean delimiter =
          codec == Codec.H264
              ? H264NalType.type(nal) == H264NalType.AUD
              : H265NalType.type(nal) == H265NalType.AUD;
      if (delimiter && current.size() > 0) {
        long pts = units.size() * FRAME_TICKS;
        assembler.assemble(current.toByteArray(), pts, pts).ifPresent(units::add);
        current.reset();
      }
      current.writeBytes(AnnexB.join(List.of(nal)));
    }
    long pts = units.size() * FRAME_TICKS;
    assembler.assemble(current.toByteArray(), pts, pts).ifPresent(units::add);
    Files.delete(file);
    return units;
  }
}
