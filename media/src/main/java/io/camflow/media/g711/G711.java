package io.camflow.media.g711;

import io.camflow.media.Codec;
import java.util.Objects;

/**
 * G.711 expansion (ITU-T G.711, tables 1a/2a): each 8-bit A-law or µ-law code to its 16-bit linear
 * sample. Decoding G.711 is this table lookup and nothing else, so it needs no codec library; the
 * tables are built once from the standard's segment/quantisation rule (the same rule as the CCITT
 * reference code that FFmpeg's {@code pcm_alaw}/{@code pcm_mulaw} decoders use, which the tests
 * compare all 256 codes against).
 */
public final class G711 {

  private static final short[] ALAW = new short[256];
  private static final short[] ULAW = new short[256];

  static {
    for (int code = 0; code < 256; code++) {
      ALAW[code] = (short) alawToLinear(code);
      ULAW[code] = (short) ulawToLinear(code);
    }
  }

  private G711() {}

  /** The linear sample of one code; {@code code} is taken as an unsigned byte. */
  public static short linear(Codec codec, byte code) {
    return table(codec)[code & 0xFF];
  }

  /**
   * Expands {@code codes} (one byte per sample, mono) into {@code out} from {@code outOffset}.
   *
   * @throws IllegalArgumentException if {@code codec} is not PCMU or PCMA
   * @throws IndexOutOfBoundsException if {@code out} has no room for every sample
   */
  public static void decode(Codec codec, byte[] codes, short[] out, int outOffset) {
    Objects.requireNonNull(codes, "codes");
    Objects.checkFromIndexSize(outOffset, codes.length, out.length);
    short[] table = table(codec);
    for (int i = 0; i < codes.length; i++) {
      out[outOffset + i] = table[codes[i] & 0xFF];
    }
  }

  private static short[] table(Codec codec) {
    return switch (Objects.requireNonNull(codec, "codec")) {
      case PCMA -> ALAW;
      case PCMU -> ULAW;
      default -> throw new IllegalArgumentException("not G.711: " + codec.id());
    };
  }

  /** A-law: even bits inverted on the line; 3-bit segment, 4-bit step, sign bit set = positive. */
  private static int alawToLinear(int code) {
    int a = code ^ 0x55;
    int step = a & 0x0F;
    int segment = (a & 0x70) >> 4;
    int magnitude = segment == 0 ? (step << 4) + 8 : ((step << 4) + 0x108) << (segment - 1);
    return (a & 0x80) != 0 ? magnitude : -magnitude;
  }

  /**
   * µ-law: all bits inverted on the line; biased (+33 in 14-bit units) segment/step, sign bit set =
   * negative.
   */
  private static int ulawToLinear(int code) {
    int u = ~code & 0xFF;
    int biased = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
    return (u & 0x80) != 0 ? 0x84 - biased : biased - 0x84;
  }
}
