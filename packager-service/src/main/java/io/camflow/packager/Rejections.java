package io.camflow.packager;

/** Where a {@link StreamPackager} reports each access unit it leaves out, and why. */
interface Rejections {

  /** Counts nowhere: for tests that do not look. */
  Rejections NONE = (reason, in, detail) -> {};

  /**
   * @param in the media record left out (its offset and access unit; the access unit may be null
   *     when the record did not parse)
   * @param detail what exactly was wrong, or null
   */
  void reject(Rejection reason, StreamPackager.Input in, String detail);
}
