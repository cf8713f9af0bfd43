package io.camflow.media.rtp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A received RTP packet, read per RFC 3550 5.1 and 5.3.1: the fixed header, the CSRC list, the
 * header extension (kept opaque) and the payload without padding. Used by tests and by anything
 * that reads RTP back; camflow itself only sends.
 *
 * @param csrcs contributing sources, usually none
 * @param extensionProfile the 16-bit "defined by profile" field, -1 without an extension
 * @param extension the extension words (without its 4-byte header), empty without one
 * @param payload the payload, padding removed
 */
public record RtpPacket(
    RtpHeader header, List<Long> csrcs, int extensionProfile, byte[] extension, byte[] payload) {

  public RtpPacket {
    Objects.requireNonNull(header, "header");
    csrcs = List.copyOf(csrcs);
    Objects.requireNonNull(extension, "extension");
    Objects.requireNonNull(payload, "payload");
  }

  /** Parses a whole datagram. */
  public static RtpPacket parse(byte[] datagram) {
    return parse(datagram, 0, datagram.length);
  }

  /**
   * Parses {@code length} bytes at {@code offset}.
   *
   * @throws MalformedRtpException if the version is not 2 or a length field runs past the end
   */
  public static RtpPacket parse(byte[] buffer, int offset, int length) {
    Objects.requireNonNull(buffer, "buffer");
    if (offset < 0 || length < 0 || offset > buffer.length - length) {
      throw new IllegalArgumentException(
          "range " + offset + "+" + length + " outside a buffer of " + buffer.length);
    }
    if (length < RtpHeader.SIZE) {
      throw new MalformedRtpException(
          "RTP packet of " + length + " bytes is shorter than the 12-byte header");
    }
    int b0 = buffer[offset] & 0xFF;
    int version = b0 >>> 6;
    if (version != RtpHeader.VERSION) {
      throw new MalformedRtpException("RTP version " + version + ", expected 2");
    }
    boolean padding = (b0 & 0x20) != 0;
    boolean hasExtension = (b0 & 0x10) != 0;
    int csrcCount = b0 & 0x0F;
    int b1 = buffer[offset + 1] & 0xFF;
    int end = offset + length;
    int pos = offset + RtpHeader.SIZE;

    if (end - pos < 4 * csrcCount) {
      throw new MalformedRtpException(
          "RTP packet of " + length + " bytes too short for its " + csrcCount + " CSRCs");
    }
    Long[] csrcs = new Long[csrcCount];
    for (int i = 0; i < csrcCount; i++, pos += 4) {
      csrcs[i] = readInt(buffer, pos);
    }

    int extensionProfile = -1;
    byte[] extension = new byte[0];
    if (hasExtension) {
      if (end - pos < 4) {
        throw new MalformedRtpException(
            "RTP header extension flag set but only " + (end - pos) + " bytes follow");
      }
      extensionProfile = ((buffer[pos] & 0xFF) << 8) | (buffer[pos + 1] & 0xFF);
      int words = ((buffer[pos + 2] & 0xFF) << 8) | (buffer[pos + 3] & 0xFF);
      pos += 4;
      if (end - pos < 4 * words) {
        throw new MalformedRtpException(
            "RTP header extension of "
                + words
                + " words runs past the end ("
                + (end - pos)
                + " bytes left)");
      }
      extension = Arrays.copyOfRange(buffer, pos, pos + 4 * words);
      pos += 4 * words;
    }

    int paddingLength = 0;
    if (padding) {
      paddingLength = pos < end ? buffer[end - 1] & 0xFF : 0;
      if (paddingLength == 0 || paddingLength > end - pos) {
        throw new MalformedRtpException(
            "RTP padding length "
                + paddingLength
                + " does not fit the "
                + (end - pos)
                + " bytes after the header");
      }
    }
    RtpHeader header =
        new RtpHeader(
            b1 & 0x7F,
            (b1 & 0x80) != 0,
            ((buffer[offset + 2] & 0xFF) << 8) | (buffer[offset + 3] & 0xFF),
            readInt(buffer, offset + 4),
            readInt(buffer, offset + 8));
    return new RtpPacket(
        header,
        List.of(csrcs),
        extensionProfile,
        extension,
        Arrays.copyOfRange(buffer, pos, end - paddingLength));
  }

  private static long readInt(byte[] b, int at) {
    return ((long) (b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RtpPacket that
        && header.equals(that.header)
        && csrcs.equals(that.csrcs)
        && extensionProfile == that.extensionProfile
        && Arrays.equals(extension, that.extension)
        && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(header, csrcs, extensionProfile) + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "RtpPacket["
        + header
        + ", csrcs="
        + csrcs
        + ", extension="
        + extension.length
        + " bytes, payload="
        + payload.length
        + " bytes]";
  }
}
