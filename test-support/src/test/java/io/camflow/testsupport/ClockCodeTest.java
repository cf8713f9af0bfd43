package io.camflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds {@link ClockCode} to the layout that {@code rtsp-camera.py} draws: against an encoder
 * written here from that layout, and against the script's own drawing code run without GStreamer.
 */
class ClockCodeTest {

  private static final long LOW_40 = (1L << 40) - 1;
  private static final long NOW = 1_767_225_600_123L; // 2026-01-01T00:00:00.123Z, above 2^40

  @Test
  void readsTheTimeBackAtEveryCellSize() {
    for (int[] size : new int[][] {{640, 360}, {1280, 720}, {1920, 1080}}) {
      for (long ms : new long[] {NOW, 0, LOW_40, 0x55_5555_5555L, 1L << 39}) {
        BufferedImage image = picture(size[0], size[1]);
        draw(image, ms);
        assertEquals(
            OptionalLong.of(ms & LOW_40),
            ClockCode.read(image),
            ms + " at " + size[0] + "x" + size[1]);
      }
    }
  }

  @Test
  void survivesAJpegRoundTrip() throws IOException {
    for (int[] size : new int[][] {{640, 360}, {1280, 720}, {1920, 1080}}) {
      BufferedImage image = picture(size[0], size[1]);
      draw(image, NOW);
      assertEquals(
          OptionalLong.of(NOW & LOW_40),
          ClockCode.read(jpeg(image, 0.7f)),
          size[0] + "x" + size[1]);
    }
  }

  /**
   * Dim cells on either side of the threshold (116 and 140) in a gray image: getRGB would brighten
   * both above it (a linear-gray to sRGB conversion), the samples themselves do not.
   */
  @Test
  void readsAGrayImageByItsSamples() {
    BufferedImage image = new BufferedImage(640, 360, BufferedImage.TYPE_BYTE_GRAY);
    draw(image, NOW);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        raster.setSample(x, y, 0, raster.getSample(x, y, 0) == 255 ? 140 : 116);
      }
    }
    assertEquals(OptionalLong.of(NOW & LOW_40), ClockCode.read(image));
  }

  /** A lossy encoder smears the cells' edges: only their middle half counts. */
  @Test
  void readsOnlyTheMiddleHalfOfEachCell() {
    BufferedImage image = picture(1280, 720);
    draw(image, NOW);
    int cell = 32;
    Graphics2D g = image.createGraphics();
    for (int i = 0; i < 13 * 4; i++) {
      int x0 = (1 + i % 13) * cell;
      int y0 = (1 + i / 13) * cell;
      boolean white = (image.getRGB(x0 + cell / 2, y0 + cell / 2) & 0xff) > 128;
      g.setColor(white ? Color.BLACK : Color.WHITE);
      g.fillRect(x0, y0, cell, cell / 4); // the outer quarter on every side: the wrong colour
      g.fillRect(x0, y0 + 3 * cell / 4, cell, cell / 4);
      g.fillRect(x0, y0, cell / 4, cell);
      g.fillRect(x0 + 3 * cell / 4, y0, cell / 4, cell);
    }
    g.dispose();
    assertEquals(OptionalLong.of(NOW & LOW_40), ClockCode.read(image));
  }

  @Test
  void noValidCodeReadsEmpty() {
    assertEquals(OptionalLong.empty(), ClockCode.read(picture(1280, 720)), "no code");

    BufferedImage white = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = white.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 1280, 720);
    g.dispose();
    assertEquals(OptionalLong.empty(), ClockCode.read(white), "all white: sync wrong");

    for (int bit : new int[] {0, 4, 20, 43, 44, 51}) {
      BufferedImage image = picture(1280, 720);
      draw(image, NOW, bit);
      assertEquals(OptionalLong.empty(), ClockCode.read(image), "bit " + bit + " flipped");
    }

    assertEquals(
        OptionalLong.empty(),
        ClockCode.read(new BufferedImage(200, 360, BufferedImage.TYPE_INT_RGB)),
        "narrower than the code");
  }

  @Test
  void readsEncodedPicturesAndRefusesOtherBytes() throws IOException {
    BufferedImage image = picture(640, 360);
    draw(image, NOW);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    assertEquals(OptionalLong.of(NOW & LOW_40), ClockCode.read(png.toByteArray()));
    assertThrows(
        IllegalArgumentException.class,
        () -> ClockCode.read("not a picture".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void ageUndoesThe40BitWrap() {
    assertEquals(0, ClockCode.ageMillis(NOW, NOW & LOW_40));
    assertEquals(250, ClockCode.ageMillis(NOW, (NOW - 250) & LOW_40));
    assertEquals(-40, ClockCode.ageMillis(NOW, (NOW + 40) & LOW_40), "from the future");
    long wrap = 1L << 40;
    // drawn 10 ms before the low 40 bits wrapped, read 5 ms after
    assertEquals(15, ClockCode.ageMillis(wrap + 5, wrap - 10));
    assertEquals(15, ClockCode.ageMillis(3 * wrap + 5, wrap - 10));
    // read before the wrap, drawn (by a clock ahead) after it
    assertEquals(-15, ClockCode.ageMillis(wrap - 10, 5));
  }

  /** The camera script's own drawing code, run on a cairo image surface without GStreamer. */
  @Test
  void readsWhatTheCameraScriptDraws(@TempDir Path dir) throws Exception {
    long[] times = {NOW, NOW + 1, LOW_40, 1L << 39};
    int[][] sizes = {{640, 360}, {1280, 720}, {1920, 1080}};
    List<String> command = new ArrayList<>();
    command.add(TestCamera.PYTHON.toString());
    command.add("-c");
    command.add(DRAW);
    command.add(CameraScripts.path(CameraScripts.CAMERA).toString());
    for (int[] size : sizes) {
      for (long ms : times) {
        command.add(dir.resolve(ms + "-" + size[1] + ".png").toString());
        command.add(Long.toString(ms));
        command.add(Integer.toString(size[0]));
        command.add(Integer.toString(size[1]));
      }
    }
    Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
    python.getOutputStream().close();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(python.waitFor(20, TimeUnit.SECONDS), "python timed out: " + output);
    assertEquals(0, python.exitValue(), output);
    for (int[] size : sizes) {
      for (long ms : times) {
        byte[] png = Files.readAllBytes(dir.resolve(ms + "-" + size[1] + ".png"));
        assertEquals(
            OptionalLong.of(ms & LOW_40),
            ClockCode.read(png),
            ms + " at " + size[0] + "x" + size[1]);
      }
    }
  }

  /**
   * Imports rtsp-camera.py (its GStreamer imports fail softly), fixes its clock and lets {@code
   * draw_clock_code} paint on a mid-gray surface: args script, then (png, ms, width, height)...
   */
  private static final String DRAW =
      """
      import importlib.util, os, sys, time
      import cairo
      script = sys.argv[1]
      sys.path.insert(0, os.path.dirname(script))
      spec = importlib.util.spec_from_file_location("rtsp_camera", script)
      camera = importlib.util.module_from_spec(spec)
      spec.loader.exec_module(camera)
      args = sys.argv[2:]
      for i in range(0, len(args), 4):
          png, ms, width, height = args[i], int(args[i + 1]), int(args[i + 2]), int(args[i + 3])
          time.time_ns = lambda: ms * 1_000_000
          surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
          ctx = cairo.Context(surface)
          ctx.set_source_rgb(0.5, 0.5, 0.5)
          ctx.paint()
          camera.draw_clock_code(None, ctx, 0, 0, height)
          surface.write_to_png(png)
      """;

  /** A mid-gray picture with a gradient, so that the code is not alone on black. */
  private static BufferedImage picture(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, new Color(100 + x * 100 / width, 128, 100 + y * 100 / height).getRGB());
      }
    }
    return image;
  }

  private static void draw(BufferedImage image, long ms) {
    draw(image, ms, -1);
  }

  /**
   * Draws the clock code for {@code ms} per rtsp-camera.py's layout, with bit {@code flip} inverted
   * (none when negative).
   */
  private static void draw(BufferedImage image, long ms, int flip) {
    int cell = 16 * Math.max(1, (image.getHeight() + 180) / 360);
    long value = ms & LOW_40;
    int crc = 0;
    for (int shift = 32; shift >= 0; shift -= 8) {
      crc ^= (int) (value >>> shift) & 0xff;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
      }
    }
    int[] bits = new int[52];
    int[] sync = {1, 0, 1, 0};
    System.arraycopy(sync, 0, bits, 0, 4);
    for (int i = 0; i < 40; i++) {
      bits[4 + i] = (int) (value >>> (39 - i)) & 1;
    }
    for (int i = 0; i < 8; i++) {
      bits[44 + i] = (crc >> (7 - i)) & 1;
    }
    if (flip >= 0) {
      bits[flip] ^= 1;
    }
    Graphics2D g = image.createGraphics();
    g.setColor(Color.BLACK);
    g.fillRect(0, 0, 15 * cell, 6 * cell);
    g.setColor(Color.WHITE);
    for (int i = 0; i < bits.length; i++) {
      if (bits[i] == 1) {
        g.fillRect((1 + i % 13) * cell, (1 + i / 13) * cell, cell, cell);
      }
    }
    g.dispose();
  }

  private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
