package io.camflow.picture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.testsupport.EncodedStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pictures made from encoded streams, checked by independent readers: the JDK's JPEG reader, and
 * Debian's FFmpeg for WebP and for which frame a picture shows (it decodes the same units from a
 * file and the pictures are compared pixel by pixel).
 */
class PictureMakerTest {

  static List<AccessUnit> h264;
  static final long KEYFRAME_MILLIS = 1_765_000_000_000L;

  @BeforeAll
  static void encode() throws Exception {
    h264 = EncodedStream.h264(2, 25, 320, 240); // keyframes at frames 0 and 25
  }

  @Test
  void theKeyframeAloneIsAJpegOfTheCamerasSize() throws Exception {
    Picture p = keyframe(h264, PictureSpec.of(PictureFormat.JPEG));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(p.bytes()));
    assertEquals(320, image.getWidth());
    assertEquals(240, image.getHeight());
    assertEquals(320, p.width());
    assertEquals(KEYFRAME_MILLIS, p.captureMillis());
    assertTrue(difference(image, ffmpegFrame(h264, 0)) < 3, "the keyframe's picture");
  }

  @Test
  void aSizeIsAFitWithTheAspectKeptAndNeverLargerThanTheCamera() throws Exception {
    assertSize(new PictureSpec(PictureFormat.JPEG, 160, 0, 80), 160, 120);
    assertSize(new PictureSpec(PictureFormat.JPEG, 0, 60, 80), 80, 60);
    assertSize(new PictureSpec(PictureFormat.JPEG, 160, 60, 80), 80, 60); // the box's tighter side
    assertSize(new PictureSpec(PictureFormat.JPEG, 1920, 0, 80), 320, 240);
  }

  @Test
  void anExactInstantIsTheFrameShownThenDecodedFromTheKeyframeBefore() throws Exception {
    BufferedImage frame17 = ffmpegFrame(h264, 17);
    long target = h264.get(17).pts() + EncodedStream.FRAME_TICKS / 2; // between frames 17 and 18
    Picture p =
        PictureMaker.at(
            h264.subList(0, 25),
            target,
            KEYFRAME_MILLIS,
            new PictureSpec(PictureFormat.JPEG, 0, 0, 100));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(p.bytes()));
    double same = difference(image, frame17);
    assertTrue(same < 3, "frame 17: mean difference " + same);
    assertTrue(difference(image, ffmpegFrame(h264, 16)) > same + 1, "not frame 16");
    assertTrue(difference(image, ffmpegFrame(h264, 18)) > same + 1, "not frame 18");
    assertEquals(KEYFRAME_MILLIS + 17 * 40, p.captureMillis());
  }

  @Test
  void qualityMakesTheJpegSmallerOrLarger() {
    int fine = jpegOf(95).length;
    int coarse = jpegOf(10).length;
    assertTrue(coarse * 2 < fine, "quality 10: " + coarse + " bytes, 95: " + fine);
    assertEquals(2, PictureEncoder.jpegQscale(100));
    assertEquals(8, PictureEncoder.jpegQscale(50));
    assertEquals(31, PictureEncoder.jpegQscale(1));
  }

  @Test
  void webpIsAWebpFileFfmpegReads() throws Exception {
    Picture p = keyframe(h264, new PictureSpec(PictureFormat.WEBP, 160, 0, 80));
    assertEquals("RIFF", new String(p.bytes(), 0, 4));
    assertEquals("WEBP", new String(p.bytes(), 8, 4));
    BufferedImage image = ffmpegDecode(p.bytes(), "webp");
    assertEquals(160, image.getWidth());
    assertEquals(120, image.getHeight());
  }

  @Test
  void h265Decodes() throws Exception {
    List<AccessUnit> h265 = EncodedStream.h265(1, 25, 320, 240);
    Picture p = keyframe(h265, PictureSpec.of(PictureFormat.JPEG));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(p.bytes()));
    assertEquals(320, image.getWidth());
    assertTrue(difference(image, ffmpegFrame(h265, 0)) < 3, "the keyframe's picture");
  }

  @Test
  void whatDoesNotDecodeIsSaidAndNothingElse() {
    AccessUnit junk =
        new AccessUnit(
            0, Codec.H264, 0, 0, 90_000, true, new byte[] {0, 0, 0, 1, 0x65, 1, 2}, null);
    assertThrows(
        BadPictureException.class,
        () ->
            PictureMaker.at(List.of(junk), Long.MAX_VALUE, 0, PictureSpec.of(PictureFormat.JPEG)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PictureMaker.at(
                h264.subList(1, 2), Long.MAX_VALUE, 0, PictureSpec.of(PictureFormat.JPEG)));
  }

  /** The picture of the clip's first unit, its keyframe. */
  private static Picture keyframe(List<AccessUnit> clip, PictureSpec spec) {
    return PictureMaker.at(clip.subList(0, 1), Long.MAX_VALUE, KEYFRAME_MILLIS, spec);
  }

  private static byte[] jpegOf(int quality) {
    return keyframe(h264, new PictureSpec(PictureFormat.JPEG, 0, 0, quality)).bytes();
  }

  private static void assertSize(PictureSpec spec, int width, int height) throws Exception {
    Picture p = keyframe(h264, spec);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(p.bytes()));
    assertEquals(width, image.getWidth(), spec.toString());
    assertEquals(height, image.getHeight(), spec.toString());
  }

  /** Mean absolute difference of the grey values of two pictures of one size, 0–255. */
  static double difference(BufferedImage a, BufferedImage b) {
    assertEquals(a.getWidth(), b.getWidth());
    assertEquals(a.getHeight(), b.getHeight());
    long sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        sum += Math.abs(grey(a.getRGB(x, y)) - grey(b.getRGB(x, y)));
      }
    }
    return (double) sum / (a.getWidth() * a.getHeight());
  }

  private static int grey(int rgb) {
    return (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
  }

  /** Frame {@code n} of the units as Debian's FFmpeg decodes them from an elementary stream. */
  static BufferedImage ffmpegFrame(List<AccessUnit> units, int n) throws Exception {
    ByteArrayOutputStream es = new ByteArrayOutputStream();
    for (AccessUnit au : units) {
      if (au.keyframe() && au.codecConfig() != null) {
        es.write(au.codecConfig());
      }
      es.write(au.data());
    }
    Path in =
        Files.createTempFile(
            "camflow-picture", units.getFirst().codec() == Codec.H264 ? ".h264" : ".hevc");
    Path out = Files.createTempFile("camflow-picture", ".png");
    try {
      Files.write(in, es.toByteArray());
      run(
          "/usr/bin/ffmpeg",
          "-v",
          "error",
          "-y",
          "-i",
          in.toString(),
          "-vf",
          "select=eq(n\\," + n + ")",
          "-frames:v",
          "1",
          out.toString());
      return ImageIO.read(out.toFile());
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
    }
  }

  static BufferedImage ffmpegDecode(byte[] file, String suffix) throws Exception {
    Path in = Files.createTempFile("camflow-picture", "." + suffix);
    Path out = Files.createTempFile("camflow-picture", ".png");
    try {
      Files.write(in, file);
      run("/usr/bin/ffmpeg", "-v", "error", "-y", "-i", in.toString(), out.toString());
      return ImageIO.read(out.toFile());
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ffmpeg ends");
    assertEquals(0, p.exitValue(), output);
  }
}
