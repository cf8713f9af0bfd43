package io.camflow.media.fmp4;

import io.camflow.media.Codec;

/**
 * The one sample entry of a track's {@code stsd}: {@code avc1}+{@code avcC}, {@code hvc1}+{@code
 * hvcC}, {@code mp4a}+{@code esds}, or {@code ulaw}/{@code alaw}.
 *
 * <p>{@code avc1}/{@code hvc1} rather than {@code avc3}/{@code hev1}: parameter sets out of band is
 * what Safari requires for HEVC and what every MSE implementation accepts for both.
 */
final class SampleEntry {

  private SampleEntry() {}

  /** The four-character code of the sample entry, e.g. {@code avc1}. */
  static String type(TrackFormat track) {
    return switch (track.codec()) {
      case H264 -> "avc1";
      case H265 -> "hvc1";
      case AAC -> "mp4a";
      case PCMU -> "ulaw";
      case PCMA -> "alaw";
    };
  }

  static void write(BoxWriter w, TrackFormat track) {
    if (track.isVideo()) {
      writeVisual(w, track);
    } else {
      writeAudio(w, track);
    }
  }

  /** VisualSampleEntry (ISO/IEC 14496-12 12.1.3) with its decoder configuration box. */
  private static void writeVisual(BoxWriter w, TrackFormat track) {
    int box = w.begin(type(track));
    w.zeros(6); // reserved
    w.u16(1); // data_reference_index: the self-contained 'url ' entry of dref
    w.zeros(16); // pre_defined, reserved, pre_defined[3]
    w.u16(track.width());
    w.u16(track.height());
    w.u32(0x00480000); // horizresolution 72 dpi
    w.u32(0x00480000); // vertresolution 72 dpi
    w.u32(0); // reserved
    w.u16(1); // frame_count: one frame per sample
    w.zeros(32); // compressorname: empty Pascal string
    w.u16(0x0018); // depth: colour, no alpha
    w.u16(0xFFFF); // pre_defined = -1
    if (track.codec() == Codec.H264) {
      AvcConfigurationBox.write(w, track);
    } else {
      HevcConfigurationBox.write(w, track);
    }
    w.end(box);
  }

  /**
   * AudioSampleEntry version 0 (ISO/IEC 14496-12 12.2.3). The same 28 bytes are a QuickTime
   * SoundDescription version 0, which is how FFmpeg reads {@code ulaw}/{@code alaw}.
   */
  private static void writeAudio(BoxWriter w, TrackFormat track) {
    int box = w.begin(type(track));
    w.zeros(6); // reserved
    w.u16(1); // data_reference_index
    w.zeros(8); // reserved (QuickTime: version, revision level, vendor)
    w.u16(track.channels());
    w.u16(16); // samplesize: 16 by definition for 14496-12; G.711 decodes to 16-bit
    w.u16(0); // pre_defined (QuickTime: compression id)
    w.u16(0); // reserved (QuickTime: packet size)
    // 16.16 fixed point; rates above 65535 Hz (88.2/96 kHz AAC) do not fit and are 0 as in
    // FFmpeg: the decoder takes the real rate from the AudioSpecificConfig.
    w.u32(track.sampleRate() <= 0xFFFF ? track.sampleRate() << 16 : 0);
    if (track.codec() == Codec.AAC) {
      EsDescriptorBox.write(w, track);
    }
    w.end(box);
  }
}
