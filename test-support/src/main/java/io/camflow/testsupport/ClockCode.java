package io.camflow.testsupport;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import javax.imageio.ImageIO;

/**
 * Reads the clock code that {@link TestCamera} draws into every frame ({@link
 * TestCamera.Builder#clockCode}): the camera's wall clock, in ms since the epoch, when the frame
 * was made, so that a test can tell how old a picture is when it reaches a viewer (glass latency).
 * The Java twin of e2e's {@code clock-code.mjs}; the layout is described in {@code rtsp-camera.py},
 * and all three must match.
 *
 * <pre>{@code
 * OptionalLong code = ClockCode.read(snapshotJpeg);
 * long latencyMillis = ClockCode.ageMillis(System.currentTimeMillis(), code.orElseThrow());
 * }</pre>
 *
 * <p>Only the low 40 bits of the time are drawn (about 35 years); {@link #ageMillis} undoes the
 * wrap.
 */
public final class ClockCode {

  private static final int COLS = 13;
  private static final int ROWS = 4;
  private static final int[] SYNC = {1, 0, 1, 0};
  private static final int TIME_BITS = 40;
  private static final int CRC_BITS = 8;
  private static final long WRAP = 1L << TIME_BITS;

  private ClockCode() {}

  /**
   * The low 40 bits of the time drawn in the top left corner of {@code image}, or empty when no
   * valid code is there (sync or CRC wrong, or the image too narrow to hold one).
   */
  public static OptionalLong read(BufferedImage image) {
    int height = image.getHeight();
    int cell = cellSize(height);
    if (image.getWidth() < (COLS + 2) * cell || height < (ROWS + 2) * cell) {
      return OptionalLong.empty();
    }
    Luma luma = lumaOf(image);
    int[] bits = new int[COLS * ROWS];
    for (int i = 0; i < bits.length; i++) {
      int x0 = (1 + i % COLS) * cell;
      int y0 = (1 + i / COLS) * cell;
      // the middle half of the cell: its edges blur into the neighbours after a lossy encoder
      double sum = 0;
      int n = 0;
      for (int y = y0 + cell / 4; y < y0 + 3 * cell / 4; y += 2) {
        for (int x = x0 + cell / 4; x < x0 + 3 * cell / 4; x += 2) {
          sum += luma.at(x, y);
          n++;
        }
      }
      bits[i] = sum / n >= 128 ? 1 : 0;
    }
    for (int i = 0; i < SYNC.length; i++) {
      if (bits[i] != SYNC[i]) {
        return OptionalLong.empty();
      }
    }
    long value = 0;
    for (int i = 0; i < TIME_BITS; i++) {
      value = (value << 1) | bits[SYNC.length + i];
    }
    int sent = 0;
    for (int i = 0; i < CRC_BITS; i++) {
      sent = (sent << 1) | bits[SYNC.length + TIME_BITS + i];
    }
    return sent == crc8(value) ? OptionalLong.of(value) : OptionalLong.empty();
  }

  /**
   * {@link #read(BufferedImage)} for an encoded picture (JPEG, PNG: whatever {@link ImageIO}
   * reads), such as a snapshot.
   *
   * @throws IllegalArgumentException when ImageIO does not recognise the bytes as a picture
   * @throws UncheckedIOException when the picture is corrupt
   */
  public static OptionalLong read(byte[] jpegOrPng) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(jpegOrPng));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode the picture", e);
    }
    if (image == null) {
      throw new IllegalArgumentException(
          "not a picture ImageIO reads (" + jpegOrPng.length + " bytes)");
    }
    return read(image);
  }

  /**
   * {@code nowMillis} (ms since the epoch) minus a code {@link #read} returned: the age of the
   * picture in ms, negative when it comes from the future (the clocks disagree). The difference is
   * taken modulo 2^40, so a code drawn just before the low 40 bits wrapped is still a few ms old.
   */
  public static long ageMillis(long nowMillis, long code) {
    long age = Math.floorMod(nowMillis - code, WRAP);
    return age >= WRAP / 2 ? age - WRAP : age;
  }

  /** The side of a cell in px: whole 16 px macroblocks, which survive H.264 at low bitrates. */
  private static int cellSize(int height) {
    return 16 * Math.max(1, (height + 180) / 360);
  }

  /** CRC-8 (polynomial 0x07) of the 40-bit time as 5 big-endian bytes. */
  private static int crc8(long value) {
    int crc = 0;
    for (int shift = TIME_BITS - 8; shift >= 0; shift -= 8) {
      crc ^= (int) (value >>> shift) & 0xff;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
      }
    }
    return crc;
  }

  /** Brightness 0..255 of the pixel at x, y. */
  private interface Luma {
    double at(int x, int y);
  }

  /**
   * A gray image's own samples (getRGB would pass them through a gamma conversion, which moves the
   * threshold), otherwise the luma of the sRGB value.
   */
  private static Luma lumaOf(BufferedImage image) {
    ColorModel model = image.getColorModel();
    Raster raster = image.getRaster();
    if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && model.getNumColorComponents() == 1) {
      double scale = 255.0 / ((1 << model.getComponentSize(0)) - 1);
      return (x, y) -> raster.getSample(x, y, 0) * scale;
    }
    return (x, y) -> {
      int rgb = image.getRGB(x, y);
      return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
    };
  }
}
