package io.camflow.media.fmp4;

/**
 * The {@code esds} box of an {@code mp4a} entry (ISO/IEC 14496-14 5.6): an ES_Descriptor holding
 * the DecoderConfigDescriptor (MPEG-4 Audio) with the AudioSpecificConfig as DecoderSpecificInfo,
 * and the SLConfigDescriptor MP4 requires (ISO/IEC 14496-1 7.2.6).
 */
final class EsDescriptorBox {

  private static final int ES_DESCRIPTOR_TAG = 0x03;
  private static final int DECODER_CONFIG_DESCRIPTOR_TAG = 0x04;
  private static final int DECODER_SPECIFIC_INFO_TAG = 0x05;
  private static final int SL_CONFIG_DESCRIPTOR_TAG = 0x06;

  /** objectTypeIndication: Audio ISO/IEC 14496-3 (ISO/IEC 14496-1 table 5). */
  private static final int OBJECT_TYPE_MPEG4_AUDIO = 0x40;

  /** streamType 5 (audio) << 2 | upStream 0 | reserved 1. */
  private static final int AUDIO_STREAM = (0x05 << 2) | 1;

  private EsDescriptorBox() {}

  static void write(BoxWriter w, TrackFormat track) {
    byte[] asc = track.audioSpecificConfig();
    int decoderSpecificInfo = descriptorSize(asc.length);
    int decoderConfig = descriptorSize(13 + decoderSpecificInfo);
    int slConfig = descriptorSize(1);
    int esPayload = 3 + decoderConfig + slConfig;

    int box = w.beginFull("esds", 0, 0);
    header(w, ES_DESCRIPTOR_TAG, esPayload);
    w.u16(0); // ES_ID: 0 in files, the track id identifies the stream (ISO/IEC 14496-14 3.1.2)
    w.u8(0); // no stream dependence, no URL, no OCR stream; streamPriority 0

    header(w, DECODER_CONFIG_DESCRIPTOR_TAG, 13 + decoderSpecificInfo);
    w.u8(OBJECT_TYPE_MPEG4_AUDIO);
    w.u8(AUDIO_STREAM);
    w.u24(0); // bufferSizeDB: unknown for a live source
    w.u32(0); // maxBitrate: unknown
    w.u32(0); // avgBitrate: 0 = variable
    header(w, DECODER_SPECIFIC_INFO_TAG, asc.length);
    w.bytes(asc);

    header(w, SL_CONFIG_DESCRIPTOR_TAG, 1);
    w.u8(0x02); // predefined: reserved for MP4 files
    w.end(box);
  }

  /** Tag and payload size; the size in the shortest expandable form (7 bits a byte, MSB = more). */
  private static void header(BoxWriter w, int tag, int payloadSize) {
    w.u8(tag);
    int bytes = sizeBytes(payloadSize);
    for (int i = bytes - 1; i >= 0; i--) {
      int sevenBits = (payloadSize >>> (7 * i)) & 0x7F;
      w.u8(i > 0 ? sevenBits | 0x80 : sevenBits);
    }
  }

  /** Whole descriptor: tag, size field and payload. */
  private static int descriptorSize(int payloadSize) {
    return 1 + sizeBytes(payloadSize) + payloadSize;
  }

  private static int sizeBytes(int payloadSize) {
    int bytes = 1;
    while (bytes < 4 && payloadSize >= 1 << (7 * bytes)) {
      bytes++;
    }
    return bytes;
  }
}
