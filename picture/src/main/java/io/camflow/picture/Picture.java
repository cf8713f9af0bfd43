package io.camflow.picture;

/**
 * One encoded picture.
 *
 * @param bytes the JPEG or WebP file
 * @param format what {@code bytes} is
 * @param width its width in pixels
 * @param height its height in pixels
 * @param captureMillis when the camera took the frame it shows (wall clock, ms since the epoch)
 */
public record Picture(
    byte[] bytes, PictureFormat format, int width, int height, long captureMillis) {}
