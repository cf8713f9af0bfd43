package io.camflow.media.fmp4;

/**
 * The 32-bit {@code sample_flags} of ISO/IEC 14496-12 8.8.3.1 that camflow writes: {@code
 * reserved(4) is_leading(2) sample_depends_on(2) sample_is_depended_on(2) sample_has_redundancy(2)
 * sample_padding_value(3) sample_is_non_sync_sample(1) sample_degradation_priority(16)}.
 *
 * <p>Both "depends on" and "non-sync" are set for non-sync samples: Chrome and FFmpeg look at the
 * non-sync bit, some older players only at {@code sample_depends_on}.
 */
public final class SampleFlags {

  /** {@code sample_depends_on = 2}: does not depend on others (I-frame, audio frame). */
  public static final int SYNC = 2 << 24;

  /** {@code sample_depends_on = 1} and {@code sample_is_non_sync_sample = 1}. */
  public static final int NON_SYNC = (1 << 24) | (1 << 16);

  private SampleFlags() {}

  /** Whether {@code flags} mark a sync sample: the non-sync bit is clear. */
  public static boolean isSync(int flags) {
    return (flags & (1 << 16)) == 0;
  }
}
