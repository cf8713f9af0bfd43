package io.camflow.media.au;

import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.media.bits.BitReader;
import io.camflow.media.h264.AvcDecoderConfigurationRecord;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h264.H264Sps;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.h265.H265Sps;
import io.camflow.media.h265.HevcDecoderConfigurationRecord;
import java.util.List;

/** What the assembler needs to know about one video codec's NAL units; the rest is shared. */
enum NalSyntax {
  H264(1) {
    @Override
    int type(byte[] nal) {
      return H264NalType.type(nal[0]);
    }

    @Override
    boolean isVcl(int type) {
      return H264NalType.isVcl(type);
    }

    @Override
    boolean isKeyframe(int type) {
      return H264NalType.isIdr(type);
    }

    @Override
    boolean isAud(int type) {
      return type == H264NalType.AUD;
    }

    @Override
    boolean isPrefixSei(int type) {
      return type == H264NalType.SEI;
    }

    @Override
    ParameterSetKind parameterSetKind(int type) {
      return switch (type) {
        case H264NalType.SPS -> ParameterSetKind.SPS;
        case H264NalType.PPS -> ParameterSetKind.PPS;
        default -> null;
      };
    }

    @Override
    int spsId(byte[] nal) {
      return H264Sps.parseId(nal);
    }

    @Override
    VideoFormat format(byte[] sps) {
      return H264Sps.parse(sps).toVideoFormat();
    }

    @Override
    int reorderDepth(byte[] sps) {
      return H264Sps.parse(sps).reorderDepth();
    }

    @Override
    DecoderConfiguration decoderConfiguration(byte[] record) {
      AvcDecoderConfigurationRecord avcC = AvcDecoderConfigurationRecord.parse(record);
      return new DecoderConfiguration(avcC.nalLengthSize(), avcC.parameterSets());
    }
  },

  H265(2) {
    @Override
    int type(byte[] nal) {
      return H265NalType.type(nal[0]);
    }

    @Override
    boolean isVcl(int type) {
      return H265NalType.isVcl(type);
    }

    @Override
    boolean isKeyframe(int type) {
      return H265NalType.isIrap(type);
    }

    @Override
    boolean isAud(int type) {
      return type == H265NalType.AUD;
    }

    @Override
    boolean isPrefixSei(int type) {
      return type == H265NalType.PREFIX_SEI;
    }

    @Override
    ParameterSetKind parameterSetKind(int type) {
      return switch (type) {
        case H265NalType.VPS -> ParameterSetKind.VPS;
        case H265NalType.SPS -> ParameterSetKind.SPS;
        case H265NalType.PPS -> ParameterSetKind.PPS;
        default -> null;
      };
    }

    @Override
    int spsId(byte[] nal) {
      return H265Sps.parseId(nal);
    }

    @Override
    int vpsId(byte[] nal) {
      return (nal[2] >> 4) & 0x0F; // the first 4 bits of the payload, never escaped
    }

    @Override
    VideoFormat format(byte[] sps) {
      return H265Sps.parse(sps).toVideoFormat();
    }

    @Override
    int reorderDepth(byte[] sps) {
      return H265Sps.parse(sps).reorderDepth();
    }

    @Override
    DecoderConfiguration decoderConfiguration(byte[] record) {
      HevcDecoderConfigurationRecord hvcC = HevcDecoderConfigurationRecord.parse(record);
      return new DecoderConfiguration(hvcC.nalLengthSize(), hvcC.parameterSets());
    }
  };

  enum ParameterSetKind {
    VPS,
    SPS,
    PPS
  }

  /** Parameter sets and sample NAL length size from an avcC/hvcC record. */
  record DecoderConfiguration(int nalLengthSize, List<byte[]> nalUnits) {}

  private final int headerLength;

  NalSyntax(int headerLength) {
    this.headerLength = headerLength;
  }

  static NalSyntax of(Codec codec) {
    return switch (codec) {
      case H264 -> H264;
      case H265 -> H265;
      default -> throw new IllegalArgumentException("not an H.264/H.265 codec: " + codec.id());
    };
  }

  /**
   * Whether a NAL unit can be looked at at all: long enough for its header plus one payload byte
   * and forbidden_zero_bit clear. Anything else is line noise that no decoder wants.
   */
  boolean isPlausible(byte[] nal) {
    return nal.length > headerLength && (nal[0] & 0x80) == 0;
  }

  /** The id of a parameter set, used to let a newer set replace an older one. */
  int parameterSetId(ParameterSetKind kind, byte[] nal) {
    return switch (kind) {
      case VPS -> vpsId(nal);
      case SPS -> spsId(nal);
      case PPS ->
          new BitReader(BitReader.unescapeRbsp(nal, headerLength))
              .readUE("pic_parameter_set_id", 63);
    };
  }

  abstract int type(byte[] nal);

  abstract boolean isVcl(int type);

  abstract boolean isKeyframe(int type);

  abstract boolean isAud(int type);

  /** SEI that belongs before the pictures of an access unit, so it may travel to the next one. */
  abstract boolean isPrefixSei(int type);

  /** The kind of parameter set, or null for any other NAL unit. */
  abstract ParameterSetKind parameterSetKind(int type);

  abstract int spsId(byte[] nal);

  int vpsId(byte[] nal) {
    throw new IllegalArgumentException("no VPS in " + name());
  }

  /**
   * @throws IllegalArgumentException if the SPS cannot be parsed
   */
  abstract VideoFormat format(byte[] sps);

  /**
   * How many pictures may precede one in decoding order and follow it in output order.
   *
   * @throws IllegalArgumentException if the SPS cannot be parsed
   */
  abstract int reorderDepth(byte[] sps);

  /**
   * @throws IllegalArgumentException if the record cannot be parsed
   */
  abstract DecoderConfiguration decoderConfiguration(byte[] record);
}
