package io.camflow.picture;

import java.util.Optional;

/** What a picture is encoded as, and the name a snapshot of it has under {@code /live/}. */
public enum PictureFormat {
  JPEG("snapshot.jpg", "image/jpeg"),
  WEBP("snapshot.webp", "image/webp");

  private final String snapshotName;
  private final String contentType;

  PictureFormat(String snapshotName, String contentType) {
    this.snapshotName = snapshotName;
    this.contentType = contentType;
  }

  public String snapshotName() {
    return snapshotName;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The format of a snapshot's name ({@code snapshot.jpg}, {@code snapshot.webp}), if it is one.
   */
  public static Optional<PictureFormat> ofSnapshotName(String name) {
    for (PictureFormat f : values()) {
      if (f.snapshotName.equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
