package io.camflow.media.testing;

import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h265.H265NalType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Loads the real encoder output under {@code src/test/resources/bitstreams} and cuts it the way a
 * demuxer would.
 */
public final class Bitstreams {

  private Bitstreams() {}

  public static byte[] resource(String name) {
    try (InputStream in = Bitstreams.class.getResourceAsStream("/bitstreams/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource bitstreams/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Groups an elementary stream into access units (as lists of NAL units), using the access-unit
   * boundary rules of H.264 7.4.1.2.3 / H.265 7.4.2.4.4 as far as these streams need.
   */
  public static List<List<byte[]>> accessUnits(byte[] elementaryStream, Codec codec) {
    List<List<byte[]>> units = new ArrayList<>();
    List<byte[]> current = new ArrayList<>();
    boolean currentHasPicture = false;
    for (byte[] nal : AnnexB.split(elementaryStream)) {
      boolean vcl = isVcl(codec, nal);
      boolean startsNew = vcl ? isFirstSliceOfPicture(codec, nal) : startsAccessUnit(codec, nal);
      if (startsNew && currentHasPicture) {
        units.add(current);
        current = new ArrayList<>();
        currentHasPicture = false;
      }
      current.add(nal);
      currentHasPicture |= vcl;
    }
    if (!current.isEmpty()) {
      units.add(current);
    }
    return units;
  }

  /**
   * The access units as Annex-B packets with 4-byte start codes, as FFmpeg's RTSP demuxer emits
   * them.
   */
  public static List<byte[]> annexBPackets(String resource, Codec codec) {
    return accessUnits(resource(resource), codec).stream().map(AnnexB::join).toList();
  }

  /** The first NAL unit of a stream that matches. */
  public static byte[] firstNal(String resource, Predicate<byte[]> which) {
    return AnnexB.split(resource(resource)).stream().filter(which).findFirst().orElseThrow();
  }

  public static byte[] firstH264(String resource, int type) {
    return firstNal(resource, nal -> H264NalType.type(nal) == type);
  }

  public static byte[] firstH265(String resource, int type) {
    return firstNal(resource, nal -> H265NalType.type(nal) == type);
  }

  /** NAL units as 4-byte length-prefixed data (MP4 sample / FFmpeg avcC-mode packet). */
  public static byte[] lengthPrefixed(List<byte[]> nalUnits) {
    int size = nalUnits.stream().mapToInt(n -> n.length + 4).sum();
    ByteBuffer out = ByteBuffer.allocate(size);
    for (byte[] nal : nalUnits) {
      out.putInt(nal.length).put(nal);
    }
    return out.array();
  }

  private static boolean isVcl(Codec codec, byte[] nal) {
    return codec == Codec.H264
        ? H264NalType.isVcl(H264NalType.type(nal))
        : H265NalType.isVcl(H265NalType.type(nal));
  }

  private static boolean isFirstSliceOfPicture(Codec codec, byte[] nal) {
    // H.264: first_mb_in_slice == 0 is ue "1"; H.265: first_slice_segment_in_pic_flag
    return codec == Codec.H264 ? (nal[1] & 0x80) != 0 : (nal[2] & 0x80) != 0;
  }

  private static boolean startsAccessUnit(Codec codec, byte[] nal) {
    if (codec == Codec.H264) {
      int type = H264NalType.type(nal);
      return type == 6 || type == 7 || type == 8 || type == 9 || (type >= 14 && type <= 18);
    }
    int type = H265NalType.type(nal);
    return (type >= 32 && type <= 35)
        || type == 39
        || (type >= 41 && type <= 44)
        || (type >= 48 && type <= 55);
  }
}
