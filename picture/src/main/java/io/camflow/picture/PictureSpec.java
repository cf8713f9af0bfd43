package io.camflow.picture;

import java.util.List;
import java.util.Map;

/**
 * How a picture is wanted: format, the box it must fit in (0 = the camera's size in that
 * direction), quality 1–100. The aspect ratio is always kept and a picture is never made larger
 * than the camera's (docs/pictures.md).
 */
public record PictureSpec(PictureFormat format, int width, int height, int quality) {

  public static final int MIN_SIDE = 16;
  public static final int MAX_SIDE = 7680;
  public static final int DEFAULT_QUALITY = 80;

  public PictureSpec {
    if (width != 0 && (width < MIN_SIDE || width > MAX_SIDE)) {
      throw new BadPictureRequestException(
          "width must be " + MIN_SIDE + " to " + MAX_SIDE + ", was " + width);
    }
    if (height != 0 && (height < MIN_SIDE || height > MAX_SIDE)) {
      throw new BadPictureRequestException(
          "height must be " + MIN_SIDE + " to " + MAX_SIDE + ", was " + height);
    }
    if (quality < 1 || quality > 100) {
      throw new BadPictureRequestException("quality must be 1 to 100, was " + quality);
    }
  }

  /** The camera's size at the default quality. */
  public static PictureSpec of(PictureFormat format) {
    return new PictureSpec(format, 0, 0, DEFAULT_QUALITY);
  }

  /**
   * The spec a query asks for ({@code width}, {@code height}, {@code quality}); other parameters
   * are not looked at.
   *
   * @throws BadPictureRequestException naming the parameter that is not valid
   */
  public static PictureSpec parse(PictureFormat format, Map<String, List<String>> query) {
    return new PictureSpec(
        format,
        intParam(query, "width", 0),
        intParam(query, "height", 0),
        intParam(query, "quality", DEFAULT_QUALITY));
  }

  static int intParam(Map<String, List<String>> query, String name, int absent) {
    List<String> values = query.get(name);
    if (values == null) {
      return absent;
    }
    if (values.size() != 1) {
      throw new BadPictureRequestException(name + " is given " + values.size() + " times");
    }
    String v = values.get(0);
    if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new BadPictureRequestException(name + " must be a whole number, was '" + clip(v) + "'");
    }
    return Integer.parseInt(v);
  }

  static String clip(String v) {
    return v.length() > 40 ? v.substring(0, 40) + "…" : v;
  }

  /**
   * The size of the picture made from a {@code sourceWidth} x {@code sourceHeight} frame: the
   * largest that fits the asked box with the frame's aspect, never larger than the frame, even
   * sides (4:2:0 chroma), at least 2 x 2.
   */
  public int[] fit(int sourceWidth, int sourceHeight) {
    double scale = 1.0;
    if (width > 0) {
      scale = Math.min(scale, (double) width / sourceWidth);
    }
    if (height > 0) {
      scale = Math.min(scale, (double) height / sourceHeight);
    }
    int w = (int) Math.round(sourceWidth * scale);
    int h = (int) Math.round(sourceHeight * scale);
    return new int[] {Math.max(2, w & ~1), Math.max(2, h & ~1)};
  }
}
